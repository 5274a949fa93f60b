#!/bin/sh
# NO_COLOR: the monochrome scheme, no cell with a colour pair.
. "$2/tests/screen/_lib.sh"
screen_init monochrome
export NO_COLOR=1
screen_run mono new connection
screen_check mono-inline-error
check "no coloured cell" grep -q "^-- monochrome, 0 coloured cells" "$DUMPS/mono-inline-error.txt"
test_done
