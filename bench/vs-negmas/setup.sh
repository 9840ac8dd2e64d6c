# Sourced by run.sh and tournament.sh: paths, NegMAS 0.16.0 in a virtualenv
# under target/vs-negmas, GNU time, and a release build of zopa. The ANAC
# domains are third-party data outside the repository: the GENIUS corpus
# folder of $ZOPA_EXTERNAL_DATA (default: ../shared beside the clone).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
external="${ZOPA_EXTERNAL_DATA:-../shared}"
case "$external" in /*) ;; *) external="$root/$external" ;; esac
corpus="$external/corpus/genius"
[ -d "$corpus" ] || { echo "the ANAC domains are expected in $corpus (set ZOPA_EXTERNAL_DATA)" >&2; exit 2; }
corpus="$(cd "$corpus" && pwd)"
work="$root/target/vs-negmas"
venv="$work/venv"
mkdir -p "$work"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "negmas==0.16.0"
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
(cd "$root" && cargo build --release -q -p zopa)
zopa="$root/target/release/zopa"
