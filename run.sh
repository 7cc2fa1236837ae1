#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh up     install what is missing, then run the whole system on this machine
#   ./run.sh test   install what is missing (with test extras), then run the test suite
# Safe to run again: it only installs what is not there yet.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the project needs on a fresh Debian 12 / Raspberry Pi OS Lite.
APT_PACKAGES=(python3 python3-venv python3-pip mosquitto mosquitto-clients espeak-ng alsa-utils
              libgl1 libegl1 libgles2 libmtdev1 xclip xsel fonts-dejavu-core libusb-1.0-0)
APT_TEST_PACKAGES=(xvfb xauth systemd shellcheck chromium)  # systemd-analyze and shellcheck check the units and the installer; chromium opens the report

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The project with the extras given, e.g. `install_python_project test report`.  Each extra has its
# own stamp, so `up` (report) after `test` (test and report) installs nothing; a newer pyproject.toml
# installs again.
install_python_project() {
  if [ ! -x .venv/bin/python ]; then
    /usr/bin/python3 -m venv .venv
  fi
  local extra missing=()
  for extra in "$@"; do
    if [ ! -f ".venv/.installed-$extra" ] || [ pyproject.toml -nt ".venv/.installed-$extra" ]; then
      missing+=("$extra")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    local wanted
    wanted=$(IFS=,; echo "$*")
    echo "Installing the project with: $wanted"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[$wanted]"
    for extra in "$@"; do touch ".venv/.installed-$extra"; done
  fi
}

case "${1:-}" in
  up)
    shift
    install_debian_packages "${APT_PACKAGES[@]}"
    install_python_project all
    exec .venv/bin/reception up "$@"
    ;;
  test)
    shift
    install_debian_packages "${APT_PACKAGES[@]}" "${APT_TEST_PACKAGES[@]}"
    install_python_project test all  # test holds all: "up" afterwards installs nothing
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: $0 up | test" >&2
    exit 2
    ;;
esac
