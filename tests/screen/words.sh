#!/bin/sh
# Words on the linked-service screens (issue 15): "Choose an Azure ML subscription first"
# (not "a Azure"); the review's checkbox line says what it means ("Grant missing role  No",
# not "Missing role  No").
. "$2/tests/screen/_lib.sh"
screen_init words
unset FAKE_HOLD
screen_run words_ls new linked_service
expect_eq "cancel exits 1" 1 "$RC"
screen_check words-ls-ml words-ls-auth words-ls-review
check "an Azure ML subscription" grep -q "Choose an Azure ML subscription first." \
  "$DUMPS/words-ls-ml.txt"
check_fails "never a Azure" grep -q "a Azure" "$DUMPS/words-ls-ml.txt"
check "the review says what the box means" grep -q "Grant missing role     No" \
  "$DUMPS/words-ls-review.txt"
check_fails "... not Missing role  No" grep -q "Missing role *No" "$DUMPS/words-ls-review.txt"
test_done
