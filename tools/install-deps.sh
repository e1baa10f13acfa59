#!/bin/bash
# install-deps.sh — install the Debian 12 packages polsearch needs to build
# and test (as root; uses sudo otherwise).  Installs only what is missing.
set -euo pipefail
PKGS="build-essential autoconf automake libtool pkg-config gettext autopoint
      libpoppler-glib-dev libxml2-dev libzip-dev libgsf-1-dev poppler-utils iproute2
      libxapian-dev xapian-tools zlib1g-dev libcmocka-dev python3 valgrind
      clang libclang-rt-14-dev groff-base man-db bash-completion zsh bsdutils
      libtesseract-dev tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng
      libcairo2-dev libpng-dev libjpeg-dev fonts-noto-cjk graphviz opencc time
      libreoffice-writer-nogui poppler-data libmicrohttpd-dev chromium curl
      libxml2-utils python3-networkx nettle-dev maint-guide-zh-cn debian-edu-doc-zh-cn"
# (groff-base, man-db, bash-completion, zsh: the documentation tests;
#  bsdutils: script(1) for the progress-line test; iproute2: ss(8), so the
#  tests of where serve listens run instead of skipping; clang: the fuzz replay;
#  tesseract, cairo, libpng, libjpeg: OCR (optional at configure time, but
#  installed so that its tests run); fonts-noto-cjk: test_ocr's fixture;
#  graphviz: refs.sh renders the citation graph with dot; opencc: fold.sh
#  checks src/t2s-chars.inc against tools/gen-t2s.py on OpenCC's data; time:
#  /usr/bin/time -v for bench/shapes.sh; libreoffice-writer-nogui: the PDF of
#  tests/cli/shapes.sh; poppler-data: the CJK CMaps, without which PDFs whose
#  Chinese fonts are not embedded read as no text; libmicrohttpd-dev:
#  polsearch web; chromium, curl: tests/cli/browser.sh and web.sh;
#  libxml2-utils, python3-networkx: cooc.sh validates GraphML and GEXF with
#  xmllint --schema and reads all three network formats back with networkx;
#  nettle-dev: SHA-256 of indexed files and the lexicon, stats --manifest;
#  maint-guide-zh-cn, debian-edu-doc-zh-cn: the real Chinese PDFs of
#  tests/cli/realpdf.sh, read from /usr/share/doc without network)
missing=()
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
