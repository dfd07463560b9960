#!/bin/sh
# layers.sh: lib/ modules depend downward only (STYLE.md). The graph of the modules is read from
# the #include "x.h" lines of lib/**/*.c and *.h (module x: x.c and x.h); every cycle in it is
# named with the files that make its arrows, and the check fails. A .c file that declares
# something extern reaches another module past its header, so it fails too.
# -v: each module's layer as well (0 includes no other module; n sits on layer n-1 or below).
set -eu
cd "$(dirname "$0")/.."
verbose=0
[ "${1-}" = -v ] && verbose=1
# shellcheck disable=SC2046 # the names of lib/ hold no space
set -- $(find lib -name '*.[ch]' | LC_ALL=C sort)
exec awk -v verbose="$verbose" '
function base(p) { sub(/^.*\//, "", p); sub(/\.[ch]$/, "", p); return p }
FNR == 1 { mod = base(FILENAME); mods[mod] = 1 }
/^[ \t]*#[ \t]*include[ \t]*"/ {
	h = $0
	sub(/^[^"]*"/, "", h)
	sub(/".*$/, "", h)
	if (h ~ /\.h$/ && base(h) != mod)
		raw[mod, base(h)] = FILENAME
}
FILENAME ~ /\.c$/ && /^[ \t]*extern[ \t]/ {
	printf "layers: %s:%d: an extern declaration reaches another module past its header\n", FILENAME, FNR
	bad = 1
}
# the layer of m: one above the highest module it includes (the graph has no cycle by then)
function layer(m,    i, d, l) {
	if (m in lay)
		return lay[m]
	l = 0
	for (i = 1; i <= nout[m]; i++) {
		d = layer(out[m, i]) + 1
		if (d > l)
			l = d
	}
	return lay[m] = l
}
END {
	n = 0
	for (m in mods)
		names[++n] = m
	for (i = 2; i <= n; i++)	# sorted, so that the report is the same on every run
		for (j = i; j > 1 && names[j - 1] > names[j]; j--) {
			t = names[j]; names[j] = names[j - 1]; names[j - 1] = t
		}
	for (i = 1; i <= n; i++)
		for (j = 1; j <= n; j++)
			if ((names[i], names[j]) in raw)
				out[names[i], ++nout[names[i]]] = names[j]
	# from each module, breadth first: the shortest way back to it is a cycle
	for (i = 1; i <= n; i++) {
		s = names[i]
		split("", seen); split("", from)
		qh = 1; qt = 0; found = ""
		for (k = 1; k <= nout[s]; k++) {
			q[++qt] = out[s, k]; seen[out[s, k]] = 1; from[out[s, k]] = s
		}
		while (qh <= qt && found == "") {
			u = q[qh++]
			if (u == s) { found = u; break }
			for (k = 1; k <= nout[u]; k++) {
				v = out[u, k]
				if (!(v in seen)) { seen[v] = 1; from[v] = u; q[++qt] = v }
				if (v == s) { found = u; break }
			}
		}
		if (found == "")
			continue
		# the path s → … → found → s, and a key that is the same from any module on it
		len = 0; u = found
		while (1) { path[++len] = u; if (u == s) break; u = from[u] }
		split("", on); key = ""
		for (k = len; k >= 1; k--) on[path[k]] = 1
		for (k = 1; k <= n; k++) if (names[k] in on) key = key " " names[k]
		if (key in done)
			continue
		done[key] = 1
		bad = 1
		line = s
		for (k = len - 1; k >= 1; k--) line = line " -> " path[k]
		printf "layers: cycle: %s -> %s\n", line, s
		prev = s
		for (k = len - 1; k >= 0; k--) {
			v = k ? path[k] : s
			printf "layers:   %s includes %s.h\n", raw[prev, v], v
			prev = v
		}
	}
	if (bad)
		exit 1
	if (verbose)
		for (i = 1; i <= n; i++)
			printf "%d %s\n", layer(names[i]), names[i]
	printf "layers: %d modules of lib/, no cycle\n", n > "/dev/stderr"
}' "$@"
