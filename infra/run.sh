#!/usr/bin/env bash
# The two commands of the README, for a fresh machine:
#   bash infra/run.sh demo [gridcenter demo options]   the demo city, live (embedded SQLite)
#   bash infra/run.sh test [pytest options]            the whole test suite and the code gates
# Both create .venv and install the pinned packages when pyproject.toml changes, and build
# the command-center page (web/: npm ci when package-lock.json changes, then esbuild).
# `test` also installs, from Debian's packages, the servers the tests start themselves and
# the browser the page's tests drive (chromium, with a Chinese font).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=.venv

need_python() {
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "infra/run.sh: gridcenter needs Python 3.11 or newer as '$python' (set PYTHON=…)" >&2
        exit 2
    fi
}

installed() {  # whether .venv holds this pyproject.toml's packages, with these extras
    local stamp="$venv/.installed-$1"
    [[ -x $venv/bin/gridcenter && -f $stamp && $(cat "$stamp") == "$2" ]]
}

install() {
    local extras=$1 want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if installed "$extras" "$want" || { [[ -z $extras ]] && installed "[test]" "$want"; }; then
        return
    fi
    [[ -x $venv/bin/python ]] || "$python" -m venv "$venv"
    echo "installing gridcenter and its pinned packages into $venv …"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -e ".$extras"
    echo "$want" > "$venv/.installed-$extras"
}

build_page() {  # web/dist from web/src: the page the server serves at /
    if ! command -v npm >/dev/null 2>&1; then
        echo "infra/run.sh: building the page needs Node.js 18 or newer with npm" >&2
        exit 2
    fi
    local want stamp=web/node_modules/.installed
    want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        echo "installing the page's pinned npm packages into web/node_modules …"
        (cd web && npm ci --no-audit --no-fund --loglevel=error)
        echo "$want" > "$stamp"
    fi
    (cd web && npm run --silent build)
}

have_browser() {
    command -v chromium >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q .
}

have_postgres() {
    command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
}

install_servers() {  # the servers the tests start themselves and the browser, from Debian
    local missing=()
    have_postgres || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    have_browser || missing+=(chromium fonts-wqy-microhei)  # the page's tests
    if [[ ${#missing[@]} -eq 0 ]]; then
        return
    fi
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        echo "infra/run.sh: the tests need Debian's ${missing[*]}; install them as root" >&2
        exit 2
    fi
    echo "installing ${missing[*]} from Debian's packages …"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

case "${1:-}" in
    demo)
        shift
        need_python
        install ""
        build_page
        exec "$venv/bin/gridcenter" demo "$@"
        ;;
    test)
        shift
        need_python
        install_servers
        install "[test]"
        build_page
        echo "gates: ruff, ruff format, mypy --strict …"
        "$venv/bin/ruff" check .
        "$venv/bin/ruff" format --check --quiet .
        "$venv/bin/mypy"
        # pytest's exit code is the script's: 5 (no tests collected) fails like any other.
        exec "$venv/bin/pytest" "$@"
        ;;
    *)
        echo "usage: bash infra/run.sh demo [options] | test [pytest options]" >&2
        exit 2
        ;;
esac
