#!/usr/bin/env bash
# postfix-ctl.sh — an isolated, throw-away Postfix + Cyrus SASL instance on 127.0.0.1 for the
# real-MTA tests (JUnit tag "postfix"). It never touches the system instance in /etc/postfix.
#
#   postfix-ctl.sh start  DIR [options]   (re)create the instance in DIR and start it; waits until
#                                         every port answers. A running instance (also one left by a
#                                         crashed run, even if DIR was deleted) is stopped first.
#   postfix-ctl.sh stop   DIR             stop it; afterwards no process of the instance is left.
#                                         A no-op when nothing runs.
#   postfix-ctl.sh status DIR             exit 0 and print the instance when running, else exit 1.
#   postfix-ctl.sh resolve DIR            print the folder to use for DIR: DIR itself when the users
#                                         "postfix" and "nobody" can reach it, else the fallback
#                                         /tmp/camel-smtp-letter-postfix-<12 hex of sha256(DIR)> (a
#                                         clone below a 0700 folder such as /root). Creates nothing.
#
# Options of start (defaults in brackets):
#   --auth-port N            [10025] AUTH required (permit_sasl_authenticated), STARTTLS offered
#   --anonymous-port N       [10026] same AUTH offer, but loopback clients may send without AUTH
#                                    (this is where AUTH ANONYMOUS senders send)
#   --smtps-port N           [10027] like --auth-port, implicit TLS (wrapper mode, RFC 8314)
#   --hostname NAME          [postfix.smtpletter.test] myhostname; also the SASL realm
#   --user NAME:PASSWORD     [alice:wonderland-secret] SASL user in the sasldb; repeatable (the first
#                            --user replaces the default)
#   --mech-list "M1 M2 ..."  [ANONYMOUS PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256] Cyrus
#                            mech_list (SCRAM derives its keys from the sasldb's userPassword at every login,
#                            scram_iteration_counter 4096; Postfix gives Cyrus no channel binding, so no -PLUS)
#   --message-size-limit N   [10485760] bytes, advertised as SIZE
#   --wait-seconds N         [30] how long to wait for the ports
#
# DIR must end up a folder owned by root (not a symbolic link); start creates it (0755) when missing.
# Layout of DIR (absolute path, no white space): etc/ (main.cf, master.cf, maps), etc/sasl/
# (smtpd.conf, sasldb2: Debian's Postfix reads $config_directory/sasl/smtpd.conf, so it lives there),
# tls/ (cert.pem, key.pem: self-signed, SAN = NAME, localhost, 127.0.0.1), queue/,
# data/, log/maillog, delivered/ (one file per delivered message: <queue id>.eml, written
# atomically, LF line ends, starting with "X-Envelope-From:", one "X-Envelope-To:" per envelope
# recipient and Return-Path, then the message as received), instance.properties.
#
# Recipient policy (RCPT TO, on every listener): any address at reject.example -> 550 5.1.1,
# at busy.example -> 450 4.2.1; sender (MAIL FROM) at blocked.example -> 553 5.7.1. Recipients at
# discard.example are accepted and discarded (no file); every other accepted recipient is
# delivered into delivered/.
# Needs root (Postfix drops to the "postfix" user itself). Requirements: .ci/postfix/install.sh
set -euo pipefail

PROG=$(basename "$0")
die() { echo "$PROG: $*" >&2; exit 1; }
info() { echo "$PROG: $*"; }

MARKER=.letter-postfix-instance
HOST=127.0.0.1

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 2 ] || usage
CMD=$1
DIR_ARG=$2
shift 2

case "$DIR_ARG" in
  /*) ;;
  *) DIR_ARG="$PWD/$DIR_ARG" ;;
esac
# canonical path: process matching and Postfix config both use it
DIR=$(realpath -m -- "$DIR_ARG")
[[ "$DIR" =~ ^/[A-Za-z0-9._/+@-]+$ ]] || die "DIR must be an absolute path of [A-Za-z0-9._/+@-] only: $DIR"
[ "$DIR" != "/" ] || die "refusing DIR=/"
CONF="$DIR/etc"

# where the instance goes when DIR cannot be reached by postfix/nobody: one fixed folder per DIR, so every
# caller (JUnit, .ci/run's stop step) finds the same one
fallback_dir() {
  local hash
  hash=$(printf '%s' "$DIR" | sha256sum | cut -c1-12)
  printf '/tmp/camel-smtp-letter-postfix-%s\n' "$hash"
}

# whether the users that Postfix runs our parts as (smtpd: postfix, the delivery pipe: nobody) can reach DIR:
# the nearest folder of DIR that exists must be searchable for them (start creates the rest 0755). Says yes
# when it cannot tell (not root, no runuser, users not there yet): start then checks again and says why.
reachable_by_services() {
  local probe=$DIR who
  while [ ! -e "$probe" ]; do
    probe=$(dirname -- "$probe")
  done
  [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1 || return 0
  for who in postfix nobody; do
    getent passwd "$who" >/dev/null || return 0
    runuser -u "$who" -- test -x "$probe" 2>/dev/null || return 1
  done
  return 0
}

do_resolve() {
  if reachable_by_services; then
    printf '%s\n' "$DIR"
  else
    fallback_dir
  fi
}

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (Postfix is started as root and drops privileges itself)"
}

require_tools() {
  local t missing=()
  for t in postfix postconf postmap saslpasswd2 openssl realpath timeout; do
    command -v "$t" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  [ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} — run .ci/postfix/install.sh (as root) first"
  getent passwd postfix >/dev/null || die "no 'postfix' user — run .ci/postfix/install.sh"
  getent group postdrop >/dev/null || die "no 'postdrop' group — run .ci/postfix/install.sh"
  local libdir found=0
  for libdir in /usr/lib/*/sasl2 /usr/lib/sasl2 /usr/lib64/sasl2; do
    [ -e "$libdir/libsasldb.so.2" ] || [ -e "$libdir/libsasldb.so" ] && found=1
  done
  [ $found -eq 1 ] || die "Cyrus SASL sasldb plugin not found — run .ci/postfix/install.sh"
}
export PATH="$PATH:/usr/sbin:/sbin"

# pids of every process of this instance: the master and all it started carry MAIL_CONFIG=$CONF
# in their environment (import_environment/export_environment). Works even when DIR is gone.
instance_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = "$$" ] && continue
    [ "$p" = "$BASHPID" ] && continue
    if grep -qzxF "MAIL_CONFIG=$CONF" "/proc/$p/environ" 2>/dev/null; then
      printf '%s\n' "$p"
    fi
  done
}

master_pid() {
  local pidfile="$DIR/queue/pid/master.pid" pid
  [ -f "$pidfile" ] || return 1
  pid=$(sed -n '1{s/[^0-9]//g;p}' "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

is_running() {
  [ -f "$CONF/main.cf" ] && postfix -c "$CONF" status >/dev/null 2>&1
}

do_stop() {
  if is_running; then
    info "stopping Postfix in $DIR"
    postfix -c "$CONF" stop >/dev/null 2>&1 || true
  fi
  # leftovers: children still shutting down, or an instance whose DIR was deleted under it
  local i pids
  for i in $(seq 1 50); do
    pids=$(instance_pids)
    [ -z "$pids" ] && return 0
    if [ "$i" -eq 1 ] || [ "$i" -eq 20 ]; then
      # shellcheck disable=SC2086
      kill -TERM $pids 2>/dev/null || true
    fi
    if [ "$i" -eq 40 ]; then
      info "killing leftover processes: $(echo $pids)"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
    fi
    sleep 0.1
  done
  pids=$(instance_pids)
  [ -z "$pids" ] || die "processes of $DIR still running: $(echo $pids)"
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# waits for the SMTP greeting on a plaintext port (220 ...)
await_banner() {
  local port=$1 deadline=$2 line
  while :; do
    line=$(timeout 3 bash -c "exec 3<>/dev/tcp/$HOST/$port && IFS= read -r l <&3 && printf '%s' \"\$l\" && printf 'QUIT\r\n' >&3" 2>/dev/null || true)
    case "$line" in 220*) return 0 ;; esac
    [ "$(date +%s)" -lt "$deadline" ] || die "port $port did not answer with 220 (last: '${line%$'\r'}'); see $DIR/log/maillog"
    sleep 0.2
  done
}

await_tls() {
  local port=$1 deadline=$2 line
  while :; do
    line=$(printf 'QUIT\r\n' | timeout 5 openssl s_client -connect "$HOST:$port" -quiet -verify_quiet 2>/dev/null | head -n 1 || true)
    case "$line" in 220*) return 0 ;; esac
    [ "$(date +%s)" -lt "$deadline" ] || die "TLS port $port did not answer with 220; see $DIR/log/maillog"
    sleep 0.2
  done
}

do_start() {
  local auth_port=10025 anon_port=10026 smtps_port=10027 hostname=postfix.smtpletter.test
  local mech_list="ANONYMOUS PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256" size_limit=10485760 wait_seconds=30
  local users=() default_users=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --auth-port) auth_port=$2; shift 2 ;;
      --anonymous-port) anon_port=$2; shift 2 ;;
      --smtps-port) smtps_port=$2; shift 2 ;;
      --hostname) hostname=$2; shift 2 ;;
      --user)
        [ $default_users -eq 1 ] && users=() && default_users=0
        users+=("$2"); shift 2 ;;
      --mech-list) mech_list=$2; shift 2 ;;
      --message-size-limit) size_limit=$2; shift 2 ;;
      --wait-seconds) wait_seconds=$2; shift 2 ;;
      *) die "unknown option: $1" ;;
    esac
  done
  [ $default_users -eq 1 ] && users=("alice:wonderland-secret")
  local p
  for p in "$auth_port" "$anon_port" "$smtps_port" "$size_limit" "$wait_seconds"; do
    [[ "$p" =~ ^[0-9]+$ ]] || die "not a number: $p"
  done
  [[ "$hostname" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || die "bad --hostname: $hostname"
  [[ "$mech_list" =~ ^[A-Z0-9\ _-]+$ ]] || die "bad --mech-list: $mech_list"
  local realm=$hostname

  require_root
  require_tools

  if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ] && [ ! -e "$DIR/$MARKER" ]; then
    die "$DIR exists, is not empty and is not a Postfix test instance (no $MARKER): refusing to touch it"
  fi

  do_stop

  for p in "$auth_port" "$anon_port" "$smtps_port"; do
    if port_in_use "$p"; then
      die "port $HOST:$p is already in use (another Postfix/test server?); choose others with --auth-port/--anonymous-port/--smtps-port. Listening: $( (ss -ltnp 2>/dev/null || true) | grep -E ":$p\b" | tr -s ' ' || true)"
    fi
  done

  # fresh state every start: no queue, no delivered files, no log from an earlier run
  umask 022
  mkdir -p -- "$DIR"
  # root writes the configuration that root's master reads: nobody else may own (and so change) DIR. This also
  # refuses a folder someone else made in /tmp ahead of us (a fallback of "resolve"), and a link put there.
  [ -d "$DIR" ] && [ ! -L "$DIR" ] || die "$DIR is not a folder (a symbolic link?): refusing it"
  local owner
  owner=$(stat -c %u -- "$DIR")
  [ "$owner" = 0 ] || die "$DIR belongs to uid $owner, not root: refusing it (its owner could change the instance's configuration); remove it or choose another DIR"
  find "$DIR" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  touch "$DIR/$MARKER"
  mkdir -p "$CONF" "$DIR/tls" "$CONF/sasl" "$DIR/queue" "$DIR/data" "$DIR/log" "$DIR/bin" \
           "$DIR/delivered" "$DIR/incoming"
  chown postfix:postfix "$DIR/data"
  chmod 0700 "$DIR/data"
  chown nobody:nogroup "$DIR/delivered" "$DIR/incoming"
  chmod 0755 "$DIR" "$DIR/delivered" "$DIR/incoming"

  # --- TLS: self-signed certificate for STARTTLS and SMTPS
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" \
    -subj "/CN=$hostname" \
    -addext "subjectAltName=DNS:$hostname,DNS:localhost,IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "extendedKeyUsage=serverAuth" >/dev/null 2>&1 || die "openssl could not create the certificate"
  chgrp postfix "$DIR/tls/key.pem"
  chmod 0640 "$DIR/tls/key.pem"
  chmod 0644 "$DIR/tls/cert.pem"

  # --- Cyrus SASL: our own config file and sasldb (smtpd reads it as user postfix)
  cat > "$CONF/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
sasldb_path: $CONF/sasl/sasldb2
mech_list: $mech_list
scram_iteration_counter: 4096
EOF
  local u name pw
  for u in "${users[@]}"; do
    name=${u%%:*}
    pw=${u#*:}
    [ -n "$name" ] && [ "$name" != "$u" ] || die "--user wants NAME:PASSWORD, got: $u"
    printf '%s' "$pw" | saslpasswd2 -p -c -f "$CONF/sasl/sasldb2" -u "$realm" "$name" \
      || die "saslpasswd2 failed for $name"
  done
  chown root:postfix "$CONF/sasl/sasldb2"
  chmod 0640 "$CONF/sasl/sasldb2"
  chmod 0644 "$CONF/sasl/smtpd.conf"

  # --- maps (texthash: read as text, no postmap needed)
  cat > "$CONF/recipient_access" <<'EOF'
# RCPT TO policy of the test instance
reject.example    550 5.1.1 no such user (test policy)
busy.example      450 4.2.1 mailbox busy, try again later (test policy)
EOF
  cat > "$CONF/sender_access" <<'EOF'
# MAIL FROM policy of the test instance
blocked.example   553 5.7.1 sender blocked (test policy)
EOF
  cat > "$CONF/transport" <<'EOF'
# every domain ends up in delivered/ except discard.example
discard.example   discard:
*                 letterfile:sink
EOF

  # --- delivery: one file per message into delivered/, written atomically (link, no clobber)
  cat > "$DIR/bin/deliver" <<EOF
#!/bin/sh
# pipe(8) command: deliver QUEUE_ID SENDER RECIPIENT... < message
# exit 75 (EX_TEMPFAIL) on any failure so Postfix keeps the message and retries
queue_id=\$1
sender=\$2
shift 2
umask 022
tmp=\$(mktemp "$DIR/incoming/\$queue_id.XXXXXX") || exit 75
chmod 0644 "\$tmp"
{
  printf 'X-Envelope-From: <%s>\n' "\$sender"
  for r in "\$@"; do printf 'X-Envelope-To: <%s>\n' "\$r"; done
  cat
} > "\$tmp" || { rm -f "\$tmp"; exit 75; }
n=1
target="$DIR/delivered/\$queue_id.eml"
until ln "\$tmp" "\$target" 2>/dev/null; do
  n=\$((n + 1))
  [ \$n -le 1000 ] || { rm -f "\$tmp"; exit 75; }
  target="$DIR/delivered/\$queue_id.\$n.eml"
done
rm -f "\$tmp"
exit 0
EOF
  chmod 0755 "$DIR/bin/deliver"

  # --- main.cf
  cat > "$CONF/main.cf" <<EOF
# Isolated Postfix instance for the camel-smtp-letter real-MTA tests. Generated by $PROG; do not edit.
compatibility_level = 3.6
config_directory = $CONF
queue_directory = $DIR/queue
data_directory = $DIR/data
mail_owner = postfix
setgid_group = postdrop
default_privs = nobody

# no syslog here: log into a file
maillog_file = $DIR/log/maillog
maillog_file_prefixes = $DIR/log
syslog_name = postfix-letter-test

myhostname = $hostname
mydomain = smtpletter.test
myorigin = \$myhostname
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains =
biff = no
append_dot_mydomain = no

# every accepted recipient goes to the letterfile pipe (or discard), nothing leaves this machine
transport_maps = texthash:$CONF/transport
default_transport = letterfile:sink
relay_transport = letterfile:sink
local_transport = letterfile:sink
letterfile_destination_recipient_limit = 1000
letterfile_destination_concurrency_limit = 20

message_size_limit = $size_limit
mailbox_size_limit = 0
smtputf8_enable = yes
smtpd_banner = \$myhostname ESMTP camel-smtp-letter test Postfix
smtpd_error_sleep_time = 0
# evaluate MAIL FROM restrictions at MAIL FROM (not delayed to RCPT TO)
smtpd_delay_reject = no
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 200

# SASL (Cyrus, our own config and sasldb); every mechanism allowed, also without TLS
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $CONF/sasl
smtpd_sasl_local_domain = \$myhostname
smtpd_sasl_security_options =
smtpd_sasl_tls_security_options =
smtpd_tls_auth_only = no
smtpd_sasl_authenticated_header = no
broken_sasl_auth_clients = no

# TLS: STARTTLS offered (may); the smtps listener is wrapper mode
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes

# policy (listeners pick theirs in master.cf)
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_sender_restrictions = check_sender_access texthash:$CONF/sender_access
letter_auth_recipient_restrictions = check_recipient_access texthash:$CONF/recipient_access,
    permit_sasl_authenticated, reject
letter_open_recipient_restrictions = check_recipient_access texthash:$CONF/recipient_access,
    permit_mynetworks, permit_sasl_authenticated, reject
smtpd_recipient_restrictions = \$letter_auth_recipient_restrictions
EOF

  # --- master.cf: our three listeners plus the internal services (chroot off everywhere)
  cat > "$CONF/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
$HOST:$auth_port inet n - n - - smtpd
  -o syslog_name=postfix-letter-test/auth
  -o smtpd_recipient_restrictions=\$letter_auth_recipient_restrictions
$HOST:$anon_port inet n - n - - smtpd
  -o syslog_name=postfix-letter-test/anonymous
  -o smtpd_recipient_restrictions=\$letter_open_recipient_restrictions
$HOST:$smtps_port inet n - n - - smtpd
  -o syslog_name=postfix-letter-test/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_recipient_restrictions=\$letter_auth_recipient_restrictions
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
letterfile unix  - n n -  - pipe
  flags=RXq user=nobody:nogroup argv=$DIR/bin/deliver \${queue_id} \${sender} \${recipient}
EOF

  # smtpd runs as postfix (reads etc/sasl/sasldb2), the pipe as nobody (runs bin/deliver): both must be
  # able to reach DIR, e.g. not below a 0700 /root
  local who
  if command -v runuser >/dev/null 2>&1; then
    for who in postfix nobody; do
      runuser -u "$who" -- test -x "$DIR/bin/deliver" \
        || die "user '$who' cannot reach $DIR (a parent folder is not searchable, e.g. /root is 0700): use the folder '$PROG resolve DIR' prints ($(fallback_dir)), another DIR under /tmp or /var/tmp (JUnit: -Dpostfix.dir=...), or chmod o+x the parents"
    done
  fi

  local check_out
  check_out=$(postfix -c "$CONF" check 2>&1) || die "postfix check failed: $check_out"
  [ -z "$check_out" ] || printf '%s\n' "$check_out" | sed "s/^/$PROG: postfix check: /"

  info "starting Postfix in $DIR"
  postfix -c "$CONF" start >/dev/null 2>&1 || {
    tail -n 30 "$DIR/log/maillog" >&2 2>/dev/null || true
    die "postfix start failed; see $DIR/log/maillog"
  }
  local deadline=$(( $(date +%s) + wait_seconds ))
  await_banner "$auth_port" "$deadline"
  await_banner "$anon_port" "$deadline"
  await_tls "$smtps_port" "$deadline"

  local i=0
  {
    echo "# written by $PROG at start"
    echo "dir=$DIR"
    echo "host=$HOST"
    echo "auth.port=$auth_port"
    echo "anonymous.port=$anon_port"
    echo "smtps.port=$smtps_port"
    echo "hostname=$hostname"
    echo "realm=$realm"
    echo "mech.list=$mech_list"
    echo "message.size.limit=$size_limit"
    echo "certificate=$DIR/tls/cert.pem"
    echo "delivered=$DIR/delivered"
    echo "maillog=$DIR/log/maillog"
    for u in "${users[@]}"; do
      i=$((i + 1))
      echo "user.$i=${u%%:*}"
      echo "password.$i=${u#*:}"
    done
  } > "$DIR/instance.properties"

  info "running: master pid $(master_pid || echo '?'), $HOST auth=$auth_port anonymous=$anon_port smtps=$smtps_port, realm=$realm, users: $(for u in "${users[@]}"; do printf '%s ' "${u%%:*}"; done)"
}

do_status() {
  if is_running; then
    info "running in $DIR, master pid $(master_pid || echo '?')"
    [ -f "$DIR/instance.properties" ] && grep -v '^password' "$DIR/instance.properties"
    return 0
  fi
  local pids
  pids=$(instance_pids)
  if [ -n "$pids" ]; then
    info "not running properly: leftover processes of $DIR: $(echo $pids) (run: $PROG stop $DIR)"
    return 1
  fi
  info "not running ($DIR)"
  return 1
}

case "$CMD" in
  start) do_start "$@" ;;
  stop)
    [ $# -eq 0 ] || die "stop takes no options"
    require_root
    do_stop
    info "stopped ($DIR)" ;;
  status)
    [ $# -eq 0 ] || die "status takes no options"
    do_status ;;
  resolve)
    [ $# -eq 0 ] || die "resolve takes no options"
    do_resolve ;;
  *) usage ;;
esac
