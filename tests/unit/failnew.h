/* failnew.h — a unit test's way to make one C++ operator new fail
 * (failnew.cc replaces the global operator new of the test program, and
 * so of libxapian, which it loads): for the out-of-memory paths of the
 * Xapian shim that the oomshim sweep (tests/fault) meets only by chance. */
#ifndef POLSEARCH_FAILNEW_H
#define POLSEARCH_FAILNEW_H

#ifdef __cplusplus
extern "C" {
#endif

/* Make the nth operator new from now on (1: the next) throw
 * std::bad_alloc; 0 disarms. */
void failnew_arm(unsigned long n);
/* How many operator new calls failed since the program began. */
unsigned long failnew_failed(void);

#ifdef __cplusplus
}
#endif

#endif
