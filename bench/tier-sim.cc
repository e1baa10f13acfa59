// tier-sim.cc — how finely the tier classes of issue 25 (format 10) must
// class a posting's wdf and its paragraph's length: for a class scheme
// (wdf exact up to CAP, lengths in geometric steps of R), on a format-9
// index (its XW3<term> terms: the postings of wdf 3 or more), the classes
// a term's top K reads and the candidates it leaves, or (ALL) how many
// class terms the whole index would hold.  A simulation: the shipped
// scheme (store.c) steps lengths by integer edges of about 1.25x.
//
//   g++ -O2 -o tier-sim bench/tier-sim.cc $(xapian-config --cxxflags --libs)
//   ./tier-sim INDEX/XAPIANDB CAP R K TERM...     e.g. 64 1.25 20 月 的 人
//   ./tier-sim INDEX/XAPIANDB CAP R K ALL
#include <xapian.h>
#include <cmath>
#include <cstdio>
#include <vector>
#include <set>
#include <map>
#include <algorithm>
#include <string>
static double k1=5, bb=0.2;
static double part(double tw,double lf,double wdf,double len){double nl=std::max(len*lf,0.5);return tw*(wdf/(k1*(nl*bb+(1-bb))+wdf));}
static double twof(double n,double tf,double wqf){double idf=(n-tf+0.5)/(tf+0.5); if(idf<2) idf=idf*0.5+1; return std::log(idf)*((2*wqf)/(1+wqf))*(k1+1);}
static int wcls(unsigned w,int cap){return std::min<int>(w,cap);}
static int lcls(unsigned len,double r){ if(len<1) len=1; return (int)std::floor(std::log(len)/std::log(r)+1e-9);}
static double lcls_lo(int c,double r){return std::pow(r,c);}
int main(int argc,char**argv){
  Xapian::Database db(argv[1]);
  int cap=atoi(argv[2]); double r=atof(argv[3]); unsigned k=atoi(argv[4]);
  double n=db.get_doccount(), av=db.get_avlength(), lf=1/av, lb=db.get_doclength_lower_bound();
  double xtf=db.get_termfreq("XH"); double xtw=twof(n,xtf,1)*0.5;
  double xmax = part(xtw,lf,1,std::max(1.0,lb));
  if(argc>5 && std::string(argv[5])=="ALL"){
    long terms=0, classes=0, posts=0;
    for(auto t=db.allterms_begin("XW3"); t!=db.allterms_end("XW3"); ++t){
      std::string tier=*t; std::string T=tier.substr(3); terms++;
      std::set<int> cl; Xapian::PostingIterator tp=db.postlist_begin(T);
      for(auto it=db.postlist_begin(tier);it!=db.postlist_end(tier);++it){ tp.skip_to(*it); posts++;
        cl.insert(wcls(tp.get_wdf(),cap)*1000+lcls(db.get_doclength(*it),r)); }
      classes+=cl.size();
    }
    printf("cap=%d r=%.2f: tier terms %ld, class terms %ld, postings %ld\n",cap,r,terms,classes,posts);
    return 0;
  }
  for(int a=5;a<argc;a++){
    std::string T=argv[a], tier="XW3"+T;
    double tf=db.get_termfreq(T); double tw=twof(n,tf,1);
    std::map<std::pair<int,int>, std::vector<unsigned>> cls; // (w,lc) -> docs
    std::map<unsigned,unsigned> len_of, wdf_of; std::set<unsigned> hasx;
    Xapian::PostingIterator tp=db.postlist_begin(T), xh=db.postlist_begin("XH");
    for(auto it=db.postlist_begin(tier);it!=db.postlist_end(tier);++it){
      unsigned d=*it; tp.skip_to(d); xh.skip_to(d); unsigned len=db.get_doclength(d);
      cls[{wcls(tp.get_wdf(),cap),lcls(len,r)}].push_back(d); len_of[d]=len; wdf_of[d]=tp.get_wdf();
      if(xh!=db.postlist_end("XH") && *xh==d) hasx.insert(d);
    }
    struct C{double ub; int w,lc; std::vector<unsigned>*docs;}; std::vector<C> cs;
    for(auto&kv:cls){ double lo=std::max<double>({(double)kv.first.first,lb,lcls_lo(kv.first.second,r)}); cs.push_back({part(tw,lf,kv.first.first,lo),kv.first.first,kv.first.second,&kv.second}); }
    std::sort(cs.begin(),cs.end(),[](const C&a,const C&b){return a.ub>b.ub;});
    // theta: read classes in ub order while a class's ub can beat the k-th best exact weight
    std::vector<double> heap; size_t opened=0, docsread=0;
    auto ubof=[&](const C&c){ return c.w>=cap ? tw : c.ub; };
    std::sort(cs.begin(),cs.end(),[&](const C&a,const C&b){return ubof(a)>ubof(b);});
    double theta=0;
    for(auto&c:cs){ if(heap.size()>=k && ubof(c) < theta) break; opened++;
      for(auto d:*c.docs){ docsread++; heap.push_back(part(tw,lf,wdf_of[d],len_of[d])); std::push_heap(heap.begin(),heap.end(),std::greater<double>()); if(heap.size()>k){std::pop_heap(heap.begin(),heap.end(),std::greater<double>()); heap.pop_back();} }
      if(heap.size()>=k) theta=heap.front(); }
    size_t nall=0,nx=0,ncls=0; for(auto&c:cs){ double u=ubof(c); if(u>=theta){nall+=c.docs->size();ncls++;} else if(u+xmax>=theta){ncls++; for(auto d:*c.docs) if(hasx.count(d)) nx++;} }
    size_t ws_size=docsread;
    printf("%s cap=%d r=%.2f k=%u: classes %zu, opened-for-theta %zu (docs read %zu), theta %.4f, cand %zu + withXH %zu, classes read %zu\n",T.c_str(),cap,r,k,cs.size(),opened,ws_size,theta,nall,nx,ncls);
  }
}
