#!/bin/sh
# make-ocr-fixture.sh — (re)write tests/unit/ocr-fixture.png, the passage
# test_ocr reads by OCR, as test_ocr itself renders it (cairo, the first
# font fc-list :lang=zh names; fonts-noto-cjk).  Run from the top of a
# configured tree with OCR (configure said "OCR (tesseract): yes"):
#   make tests/unit/test_ocr && sh tests/unit/make-ocr-fixture.sh
set -eu
./tests/unit/test_ocr --write-fixture tests/unit/ocr-fixture.png
