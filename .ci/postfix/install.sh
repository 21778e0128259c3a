#!/usr/bin/env bash
# Installs what the real-MTA tests (JUnit tag "postfix") need, on Debian/Ubuntu, when it is missing:
#   postfix (the MTA), libsasl2-modules (PLAIN LOGIN CRAM-MD5 DIGEST-MD5 ANONYMOUS SCRAM-SHA-1
#   SCRAM-SHA-256 ...),
#   sasl2-bin (saslpasswd2), openssl (the self-signed certificate), dovecot-core and
#   dovecot-submissiond (the private Dovecot of DovecotSubmissionIT: SCRAM and OAUTHBEARER).
# Idempotent: does nothing when everything is there. Needs root. Never configures or starts the
# system's own Postfix instance: debconf is preseeded with "No configuration".
# Exit codes: 0 installed/present, 1 failure, 2 no apt-get on this machine (caller decides).
set -euo pipefail

PACKAGES=(postfix libsasl2-modules sasl2-bin openssl dovecot-core dovecot-submissiond)

missing() {
  local p
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$p"
    fi
  done
}

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install.sh: no apt-get/dpkg on this machine; install Postfix + Cyrus SASL (sasldb, PLAIN, LOGIN," \
       "CRAM-MD5, DIGEST-MD5, ANONYMOUS, SCRAM-SHA-1, SCRAM-SHA-256) and openssl by hand" >&2
  exit 2
fi

mapfile -t todo < <(missing)
if [ "${#todo[@]}" -eq 0 ]; then
  echo "install.sh: already installed: ${PACKAGES[*]}"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: missing packages (${todo[*]}) and not root: run as root (or with sudo)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# no configuration: the package must not create /etc/postfix/main.cf nor start the system instance
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections

# only refresh the package lists when apt does not know the packages (fresh container) or the
# install fails with the lists it has (stale mirror)
needs_update=0
for p in "${todo[@]}"; do
  if ! apt-cache show "$p" >/dev/null 2>&1; then needs_update=1; fi
done
if [ "$needs_update" -eq 1 ]; then
  apt-get update -qq
fi
echo "install.sh: installing ${todo[*]}"
if ! apt-get install -y -qq --no-install-recommends "${todo[@]}"; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${todo[@]}"
fi

# the package may start the system's own Dovecot (on 587 with dovecot-submissiond): the tests run a private one
for p in "${todo[@]}"; do
  if [ "$p" = dovecot-core ]; then
    (systemctl disable --now dovecot >/dev/null 2>&1 || service dovecot stop >/dev/null 2>&1) || true
  fi
done

mapfile -t still < <(missing)
if [ "${#still[@]}" -ne 0 ]; then
  echo "install.sh: still missing after install: ${still[*]}" >&2
  exit 1
fi
echo "install.sh: installed ${todo[*]}"
