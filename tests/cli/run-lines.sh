# Sourced by bash: runs the lines of the file $DOC_LINES one at a time, in this shell and in order,
# as a reader types them (tests/cli/docs.py gives the lines of the README and the man pages).
# Each is printed first; a line that fails stops the run and is named. The last line says how many ran.
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
set -o pipefail
n=0
while IFS= read -r line <&3; do
	n=$((n + 1))
	printf '$ %s\n' "$line"
	eval "$line"
	rc=$?
	# head stops reading what it does not print: the writer's SIGPIPE is no failure
	if [ $rc -ne 0 ] && ! { [ $rc -eq 141 ] && [[ $line == *"| head"* ]]; }; then
		echo "lines: line $n failed with $rc: $line" >&2
		exit 1
	fi
done 3< "$DOC_LINES"
echo "lines: $n ran"
