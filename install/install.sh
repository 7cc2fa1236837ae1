#!/usr/bin/env bash
# Turn a fresh Raspberry Pi OS Bookworm (64-bit) or Debian 12 machine into one role of
# the reception appliance.  Run it from a checkout of this repository, as root:
#
#   sudo install/install.sh all-in-one                 broker, hub, first kiosk, desks with pins
#   sudo install/install.sh hub                        broker, hub, its weekly report and the staff web
#   sudo install/install.sh kiosk --kiosk kiosk-1 --broker-host hub.local --secrets-from /media/usb
#   sudo install/install.sh board --board board-1 --broker-host hub.local --secrets-from /media/usb
#   sudo install/install.sh desk  --desk desk-1 --desk vol-1 --broker-host hub.local --secrets-from /media/usb
#   sudo install/install.sh central --site toender --site aabenraa --tls-cert C --tls-key K
#                                                      central broker and statistics collector
#
# Options are those of install/deploy.py (--help), plus:
#   --root DIR   write the files under DIR and leave the machine alone: no apt, no user,
#                no venv, no systemctl start (units are enabled offline with systemctl --root).
#   --dry-run    say what would change and change nothing.
# Running it again changes nothing unless the checkout or the options changed.
# See docs/install.md.
set -euo pipefail

CHECKOUT="$(cd "$(dirname "$0")/.." && pwd)"
VENV=/opt/reception
ROLE="${1:-}"
ROOT=/
DRY_RUN=0
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in
    --root) j=$((i + 1)); ROOT="${!j}" ;;
    --root=*) ROOT="${!i#--root=}" ;;
    --dry-run) DRY_RUN=1 ;;
  esac
done
case "$ROLE" in
  all-in-one|hub|kiosk|board|desk|central) ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
             exec python3 "$CHECKOUT/install/deploy.py" --help ;;
  *) echo "usage: $0 all-in-one|hub|kiosk|board|desk|central [options]  (see --help)" >&2; exit 2 ;;
esac
ON_MACHINE=0
PROJECT_CHANGED=0
BROKER_HERE=0
case "$ROLE" in all-in-one|hub|central) BROKER_HERE=1 ;; esac
[ "$ROOT" = / ] && [ "$DRY_RUN" -eq 0 ] && ON_MACHINE=1

say() { echo "install: $*" >&2; }

# What each role needs, and nothing more: a desk or hub Pi gets no SDL/GL libraries and no
# Kivy, a hub no espeak-ng.  Debian packages: the Kivy wheels bring their own SDL2, the libraries
# below are what they load; python3-lgpio (gpiozero's pin driver) exists on Raspberry Pi OS only.
# Python: the role's extras of pyproject.toml; the venv sees system packages only where it needs
# python3-lgpio.
SCREEN=(libgl1 libegl1 libgles2 libgbm1 libdrm2 libmtdev1 espeak-ng fonts-dejavu-core)
PACKAGES=(python3 python3-venv python3-pip)
SYSTEM_SITE_PACKAGES=0
case "$ROLE" in
  all-in-one) PACKAGES+=(mosquitto mosquitto-clients "${SCREEN[@]}" libusb-1.0-0 python3-lgpio)
              EXTRAS=hub,kiosk,desk,report,web SYSTEM_SITE_PACKAGES=1 ;;
  hub) PACKAGES+=(mosquitto mosquitto-clients); EXTRAS=hub,report,web ;;
  central) PACKAGES+=(mosquitto mosquitto-clients); EXTRAS=report ;;
  kiosk) PACKAGES+=("${SCREEN[@]}" libusb-1.0-0); EXTRAS=kiosk ;;
  board) PACKAGES+=("${SCREEN[@]}" alsa-utils); EXTRAS=board ;;  # aplay plays the announcements
  desk) PACKAGES+=(python3-lgpio); EXTRAS=desk SYSTEM_SITE_PACKAGES=1 ;;
esac

install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" && continue
    if ! apt-cache show "$pkg" >/dev/null 2>&1; then
      say "package $pkg is not available here (not Raspberry Pi OS?); skipping it"
      continue
    fi
    missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The unprivileged service user, in the groups that own the role's devices.
service_user() {
  getent passwd reception >/dev/null ||
    useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin reception
  local groups=()
  case "$ROLE" in
    all-in-one) groups=(video render input audio lp dialout plugdev gpio) ;;
    kiosk) groups=(video render input audio lp dialout plugdev) ;;
    board) groups=(video render audio) ;;
    desk) groups=(gpio) ;;
  esac
  for g in "${groups[@]}"; do
    getent group "$g" >/dev/null || continue
    id -nG reception | tr ' ' '\n' | grep -qx "$g" || usermod -aG "$g" reception
  done
}

# /opt/reception: a venv with the project and the role's extras, rebuilt only when the checkout
# changed.  A venv made for other extras (another role, or an older installer that put every
# library on every Pi) is made afresh: pip would keep what the role no longer needs.
python_project() {
  local stamp="$VENV/.source-sha256" made_for="$VENV/.extras" sha
  local project="${CHECKOUT}[$EXTRAS]" want="$EXTRAS system-site-packages=$SYSTEM_SITE_PACKAGES"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$made_for" 2>/dev/null)" != "$want" ]; then
    say "$VENV holds other packages than this role needs; making it again"
    rm -rf "$VENV"
  fi
  sha=$( (cd "$CHECKOUT" && find pyproject.toml reception hub kiosk display_board hardware bench web \
          -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 2>/dev/null | sort -z |
          xargs -0 sha256sum; echo "$project") | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sha" ]; then
    say "$VENV is up to date"
    return
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    if [ "$SYSTEM_SITE_PACKAGES" -eq 1 ]; then python3 -m venv --system-site-packages "$VENV"
    else python3 -m venv "$VENV"; fi
    echo "$want" > "$made_for"
  fi
  say "installing the project with its extras [$EXTRAS] into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "$project"
  echo "$sha" > "$stamp"
  PROJECT_CHANGED=1
}

if [ "$ON_MACHINE" -eq 1 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "run as root (sudo $0 $*)" >&2; exit 1; }
  install_packages "${PACKAGES[@]}"
  service_user
  python_project
else
  say "--root/--dry-run: leaving packages, users and $VENV alone"
  say "role $ROLE needs Debian packages: ${PACKAGES[*]}; Python extras: $EXTRAS"
fi

summary=$(python3 "$CHECKOUT/install/deploy.py" "$@")
ENABLE='' UNITS_CHANGED=0 BROKER_CHANGED=0 UDEV_CHANGED=0 CHANGES=0
while IFS='=' read -r key value; do
  case "$key" in ENABLE|UNITS_CHANGED|BROKER_CHANGED|UDEV_CHANGED|CHANGES) printf -v "$key" '%s' "$value" ;; esac
done <<< "$summary"
read -ra UNITS <<< "$ENABLE"

if [ "$DRY_RUN" -eq 1 ]; then
  say "dry run: $CHANGES file(s) would change; would enable: ${ENABLE:-nothing}"
  exit 0
fi
if [ "$ON_MACHINE" -eq 0 ]; then
  # Offline enabling only makes the symlinks; the root has no multi-user.target to warn about.
  if [ ${#UNITS[@]} -gt 0 ]; then
    out=$(systemctl --root="$ROOT" enable "${UNITS[@]}" 2>&1)
    grep -v 'non-existent unit' <<< "$out" | sed 's/^/install: /' >&2 || true
  fi
  say "$CHANGES file(s) changed under $ROOT"
  exit 0
fi

services=("${UNITS[@]}")
if [ "$BROKER_HERE" -eq 1 ]; then services=(mosquitto.service "${UNITS[@]}"); fi
for unit in "${services[@]}"; do
  systemctl is-enabled --quiet "$unit" 2>/dev/null || systemctl enable "$unit"
done
if [ ! -d /run/systemd/system ]; then  # an image being built in a chroot: enabled, they start at boot
  say "$CHANGES file(s) changed; systemd is not running here, so ${services[*]} start at the next boot"
  exit 0
fi
[ "$UDEV_CHANGED" = 0 ] || { udevadm control --reload-rules && udevadm trigger --subsystem-match=usb; }
[ "$UNITS_CHANGED" = 0 ] || systemctl daemon-reload
if [ "$BROKER_HERE" -eq 1 ] && { [ "$BROKER_CHANGED" = 1 ] || ! systemctl is-active --quiet mosquitto; }; then
  say "restarting mosquitto"
  systemctl restart mosquitto
fi
for unit in "${UNITS[@]}"; do
  if [ "$UNITS_CHANGED" = 1 ] || [ "$PROJECT_CHANGED" = 1 ] || ! systemctl is-active --quiet "$unit"; then
    say "restarting $unit"
    systemctl restart "$unit"
  fi
done
say "$CHANGES file(s) changed; running: ${services[*]}"
