/* failnew.cc — the global operator new of a unit test program, which can
 * be made to fail once (failnew.h).  Not thread-safe: the unit tests that
 * link it run one thread. */
#include <cstdlib>
#include <new>

#include "failnew.h"

namespace {
unsigned long countdown;             // operator new calls until the one that fails; 0: none fails
unsigned long failures;              // operator new calls that failed
}

void failnew_arm(unsigned long n)
{
    countdown = n;
}

unsigned long failnew_failed(void)
{
    return failures;
}

/* The replaced operator new: malloc, or bad_alloc when the countdown
 * reaches its call. */
void *operator new(std::size_t size)
{
    if (countdown > 0 && --countdown == 0) {
        failures++;
        throw std::bad_alloc();
    }
    void *p = std::malloc(size ? size : 1);
    if (!p)
        throw std::bad_alloc();
    return p;
}

/* Its array form, counted alike. */
void *operator new[](std::size_t size)
{
    return operator new(size);
}

/* The deletes that match: free. */
void operator delete(void *p) noexcept
{
    std::free(p);
}

void operator delete[](void *p) noexcept
{
    std::free(p);
}

void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}

void operator delete[](void *p, std::size_t) noexcept
{
    std::free(p);
}
