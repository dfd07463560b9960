#!/usr/bin/env bats
# --format json: every verb that writes rows writes JSON Lines (one object a
# line) that python3 -m json.tool and jq read, a number column's values as JSON
# numbers, a text column's as strings, an empty value as null (SPEC §2). All
# people are made up.

load helpers
load web-helpers
bats_require_minimum_version 1.5.0

# a system python3 (json.tool --json-lines), not a version manager's shim
for PY3 in /usr/bin/python3 /usr/local/bin/python3 python3; do
	command -v "$PY3" >/dev/null && break
done

P2="2 четверть"

# The web cabinet's school (web-helpers), with consents for 5А, its paper extracts of the
# second quarter and one of them acknowledged.
setup_file() {
	web_school || return 1
	(
		cd "$BATS_FILE_TMPDIR/school" || exit 1
		portal-accounts list guardians --class 5А | awk -F, 'NR == 1 { print "guardian_id,student_id,decision,signed_on"; next }
			{ printf "%s,%s,%s,2026-09-0%d\n", $1, $2, NR % 3 ? "given" : "refused", 1 + NR % 9 }' >consents.csv
		portal-consent -q import consents.csv || exit 1
		portal-extract -q --class 5А --period "$P2" --channel paper -o x/ >manifest.csv || exit 1
		portal-ack -q record "$(awk -F, 'NR == 2 { print $5 }' manifest.csv)" >/dev/null || exit 1
		checkpoint
	)
}

setup() {
	web_setup
}

teardown() {
	web_teardown
}

# json_rows NUMBERS CMD...: CMD --format json exits 0 and writes rows that python3 -m json.tool
# and jq read, each an object; the keys in NUMBERS (space separated) hold numbers or null, and
# each a number at least once; every other key a string or null.
json_rows() {
	local nums=$1
	shift
	run --separate-stderr "$@" --format json
	status_is 0 || { echo "in: $*"; return 1; }
	[ -n "$output" ] || { echo "$*: no rows"; return 1; }
	printf '%s\n' "$output" >out.json
	"$PY3" -m json.tool --json-lines out.json >/dev/null || { echo "$*: python3 -m json.tool refuses it"; return 1; }
	jq -c . out.json >/dev/null || { echo "$*: jq refuses it"; return 1; }
	run jq -r -s --arg nums "$nums" '
		($nums | split(" ") | map(select(length > 0))) as $n
		| [ (.[] | select(type != "object") | "not an object: \(.)"),
		    (.[] | to_entries[] | . as $e
		     | if ($n | any(. == $e.key)) then select(.value != null and (.value | type) != "number")
		       else select(.value != null and (.value | type) != "string") end
		     | "\($e.key): \($e.value | tojson) is a \($e.value | type)"),
		    ($n[] as $k | select([.[][$k] | numbers] | length == 0) | "\($k): never a number"),
		    (.[] | to_entries[] | select(.value == "") | "\(.key): an empty string, not null") ]
		| unique | if length == 0 then "ok" else .[0:5][] end' out.json
	same ok "$output" "$* --format json" || return 1
}

# The verbs that write rows, with the columns that hold numbers (| between them).
ROWS=(
	"schema_binary schema_store|portal-db version"
	"|portal-db config"
	"working|portal-db calendar list --from 2026-11-01 --to 2026-11-30"
	"seq valid|portal-db audit"
	"|portal-accounts list students --all"
	"|portal-accounts list guardians --all"
	"|portal-accounts list staff"
	"|portal-accounts groups list --all"
	"|portal-accounts set S00001 email=kid@example.ru --dry-run"
	"|portal-journal periods list"
	"average|portal-journal show --class 5А --period $P2"
	"students|portal-journal teachers --class 5А"
	"has_email|portal-consent status --all"
	"has_email|portal-consent missing --all"
	"extract_id days_waiting|portal-ack pending --all"
	"extracts acknowledged pending acknowledged_pct|portal-ack status"
	"students assessed avg_mark pct_success pct_quality sou n5 n4 n3 n2 nna|portal-report progress --all --period $P2"
	"average failing|portal-report progress --all --by student --period $P2"
	"lessons missed illness excused unexcused late pct_attended|portal-report attendance --all --period $P2"
	"average failing|portal-report student --student S00001 --period $P2"
	"students guardians accounts consents_given consents_refused consents_withdrawn consents_none paper_recipients extracts acknowledged_pct|portal-report coverage"
	"|portal-web check-config"
)

@test "every list and report: JSON Lines that python3 and jq read, counts and shares as numbers, empty as null" {
	local row nums cmd
	for row in "${ROWS[@]}"; do
		nums=${row%%|*}
		cmd=${row#*|}
		# the period's name has a space: the words of the command, the period as one
		if [[ "$cmd" == *"$P2"* ]]; then
			read -ra words <<<"${cmd%"$P2"*}"
			json_rows "$nums" "${words[@]}" "$P2" ${cmd#*"$P2"} || return 1
		else
			read -ra words <<<"$cmd"
			json_rows "$nums" "${words[@]}" || return 1
		fi
	done
	# the issue's example: a count is a number, not "20"
	want=$(portal-report coverage --class 5А | awk -F, 'NR == 2 { print $2 }')
	run --separate-stderr portal-report coverage --class 5А --format json
	[[ "$output" == *'"students":'"$want"','* ]] || { echo "students not $want: $output"; return 1; }
	same number "$(jq -r '.students | type' <<<"$output")" "its type"
}

@test "the consent history, the codes of ack record and scan: typed, the same way" {
	g=$(awk -F, 'NR == 2 { print $1 }' "$BATS_FILE_TMPDIR/school/consents.csv")
	json_rows "consent_id invalidated" portal-consent history --guardian "$g"
	code=$(awk -F, 'NR == 3 { print $5 }' "$BATS_FILE_TMPDIR/school/manifest.csv")
	json_rows "" portal-ack record "$code" --dry-run
	run --separate-stderr portal-ack scan --format json <<<"$code"
	status_is 0
	same '{"code":"'"$code"'","result":"ok"}' "$output" "scan"
}

@test "the dry run of every import: op,kind,id,field,old,new as JSON, an empty old value null" {
	local s=$BATS_FILE_TMPDIR/school/s k
	export PORTAL_DB
	PORTAL_DB=$(store_at "$BATS_TEST_TMPDIR/fresh.db")
	new_store
	json_rows "" portal-db calendar import "$CALENDAR" --dry-run
	for k in staff students guardians; do
		json_rows "" portal-accounts import "$k" "$s/$k.csv" --dry-run
		portal-accounts -q import "$k" "$s/$k.csv" 2>/dev/null
	done
	json_rows "" portal-accounts groups import "$s/groups.csv" --dry-run
	portal-accounts -q groups import "$s/groups.csv"
	json_rows "" portal-journal periods import "$s/periods.csv" --dry-run
	portal-journal -q periods import "$s/periods.csv"
	for k in schedule lessons changes tests holidays marks attendance recommendations finals; do
		json_rows "" portal-journal import "$k" "$s/$k.csv" --dry-run
		portal-journal -q import "$k" "$s/$k.csv"
	done
	json_rows "" portal-consent import "$BATS_FILE_TMPDIR/school/consents.csv" --dry-run
	printf '%s\n' student_id,email "S00002,kid2@example.ru" >u.csv
	json_rows "" portal-accounts update u.csv --dry-run
	# the acknowledgements of the school's extracts, into its store
	PORTAL_DB=$(store_at "$BATS_TEST_TMPDIR/p.db")	# the school's copy of web_setup
	awk -F, 'NR == 1 { print "code,acknowledged_on"; next } NR > 2 { print $5 ",2026-11-28" }' \
		"$BATS_FILE_TMPDIR/school/manifest.csv" >acks.csv
	json_rows "" portal-ack import acks.csv --dry-run
	run jq -r 'select(.field == "acknowledged_on") | .old' out.json
	same null "$(sort -u <<<"$output")" "an old value that was none"
}

@test "a leaked login: the operations it invalidates and the list of breaches as JSON" {
	leader=$(portal-accounts list staff --class 5А | awk -F, 'NR == 2 { print $6 }')
	g=$(awk -F, 'NR == 2 { print $1 }' "$BATS_FILE_TMPDIR/school/consents.csv")
	PORTAL_NOW=2026-11-28T10:00:00Z PORTAL_ACTOR=$leader portal-consent -q record --guardian "$g" --decision withdrawn \
		--signed-on 2026-11-27
	PORTAL_NOW=2026-11-28T12:00:00Z json_rows "seq" portal-accounts breach "$leader" --discovered-at 2026-11-28T09:00:00Z \
		--reported-at 2026-11-28T09:30:00Z
	json_rows "late invalidated" portal-accounts breaches
}

@test "the cabinet's sessions and its access log as JSON" {
	serve
	fresh_login student S00001
	get /student/S00001
	same 200 "$status_code" "the child's page"
	json_rows "" portal-web sessions
	json_rows "seq" portal-db access --all
}

# Every verb is one of those above, or writes no rows (a message, a file, a page server).
TESTED="portal-db version|portal-db config|portal-db calendar list|portal-db audit|portal-db access|portal-db calendar import|\
portal-accounts list students|portal-accounts list guardians|portal-accounts list staff|portal-accounts groups list|\
portal-accounts set|portal-accounts update|portal-accounts import staff|portal-accounts import students|\
portal-accounts import guardians|portal-accounts groups import|portal-accounts breach|portal-accounts breaches|\
portal-journal periods list|portal-journal periods import|portal-journal show|portal-journal teachers|\
portal-journal import schedule|portal-journal import lessons|portal-journal import changes|portal-journal import tests|\
portal-journal import holidays|portal-journal import marks|portal-journal import attendance|\
portal-journal import recommendations|portal-journal import finals|portal-consent status|portal-consent missing|\
portal-consent history|portal-consent import|portal-ack record|portal-ack scan|portal-ack import|portal-ack pending|\
portal-ack status|portal-report progress|portal-report attendance|portal-report student|portal-report coverage|\
portal-web check-config|portal-web sessions"
NO_ROWS="portal-db init|portal-db migrate|portal-db backup|portal-db check|portal-db witness|portal-accounts issue|\
portal-accounts verify|portal-accounts passwd|portal-accounts lock|portal-accounts unlock|portal-consent record|\
portal-report nightly|portal-web serve|portal-web revoke|portal-extract "

@test "no verb is left out: each is one of the tests above or writes no rows" {
	local b v missing=""
	for b in db accounts journal consent extract ack report web; do
		while IFS=$'\t' read -r v _; do
			[[ "|$TESTED|$NO_ROWS|" == *"|portal-$b $v|"* ]] || missing+=" 'portal-$b $v'"
		done < <(portal-$b --complete verbs)
	done
	same "" "$missing" "verbs neither tested nor known to write no rows"
}
