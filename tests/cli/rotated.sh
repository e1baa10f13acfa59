#!/bin/bash
# rotated.sh — issue 21: text whose baseline is not horizontal (a text box
# turned by 30 degrees, made by LibreOffice: tests/fixtures/rotated/make.sh)
# is read along its own baseline as one paragraph of its own, and the body
# paragraphs it lies over keep their text whole and in order.
. "$(dirname "$0")/lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/rotated" && pwd)
mkdir -p "$TMP/in"
cp "$FIX/rotated.pdf" "$TMP/in/"
ps index -q -d "$TMP/idx" "$TMP/in" >"$TMP/out" 2>"$TMP/err"
check_eq "rotated.pdf indexed, exit 0" 0 "$?"
# text TERM: the text of the one paragraph that TERM finds
text() {
    ps search -d "$TMP/idx" --json --all "$1" 2>/dev/null |
        "$PY" -c 'import json,sys
for l in sys.stdin: print(json.loads(l)["text"])'
}
check_eq "the slanted line reads along its baseline, as one paragraph" 旋转文字测试专用短语示范 "$(text 旋转)"
c=$(ps search -d "$TMP/idx" -c 测试专用短语 2>/dev/null)
check_eq "a phrase across its pieces is found once" 1 "$c"
check_eq "body paragraph under the frame is whole, no slanted piece in it" \
    一、强化企业创新主体地位。支持企业牵头组建创新联合体，承担重大科技项目，对企业研发投入按规定给予补助，鼓励企业建设研发机构和中试基地。 \
    "$(text 强化企业创新主体地位)"
check_eq "the paragraph above is untouched" \
    各区县人民政府，市政府各部门：为深入实施创新驱动发展战略，加快科技成果向现实生产力转化，促进经济高质量发展，现就加快推进科技成果转化提出如下意见，请认真贯彻执行。 \
    "$(text 各区县人民政府)"
finish
