# Sourced by .ci/run: a throwaway Dovecot IMAP server on loopback, over TLS with a certificate
# made now, one test user from a passwd-file and its Maildir, for the incoming-mail tests
# (tests/klachtformulieren/intake/test_inbound_imap.py). Exports KLACHTENPORTAAL_TEST_IMAP_*.
# Stopped when the CI run ends, whatever traps the rest of .ci/run sets.
if [ ! -x /usr/sbin/dovecot ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
fi
IMAPTMP=$(mktemp -d /tmp/klachtenportaal-dovecot.XXXXXX)
IMAPPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
IMAPUSER=klachten
IMAPPASSWORD=$(openssl rand -hex 16)
# Mail is read as "nobody": Dovecot never opens a mailbox as root.
MAILUID=$(id -u nobody)
MAILGID=$(id -g nobody)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$IMAPTMP/key.pem" -out "$IMAPTMP/cert.pem" 2>/dev/null
mkdir -p "$IMAPTMP/home/$IMAPUSER/Maildir/new" "$IMAPTMP/home/$IMAPUSER/Maildir/cur" \
  "$IMAPTMP/home/$IMAPUSER/Maildir/tmp" "$IMAPTMP/run" "$IMAPTMP/state"
chown -R "$MAILUID:$MAILGID" "$IMAPTMP/home"
chmod 755 "$IMAPTMP"
echo "$IMAPUSER:{PLAIN}$IMAPPASSWORD" >"$IMAPTMP/passwd"
cat >"$IMAPTMP/dovecot.conf" <<CONF
base_dir = $IMAPTMP/run
state_dir = $IMAPTMP/state
log_path = $IMAPTMP/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$IMAPTMP/cert.pem
ssl_key = <$IMAPTMP/key.pem
auth_mechanisms = plain
disable_plaintext_auth = yes
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $IMAPTMP/passwd
}
userdb {
  driver = static
  args = uid=$MAILUID gid=$MAILGID home=$IMAPTMP/home/%u
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPPORT
    ssl = yes
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
CONF
stop_dovecot() {
  /usr/sbin/dovecot -c "$IMAPTMP/dovecot.conf" stop >/dev/null 2>&1 || true
  sleep 0.5
  rm -rf "$IMAPTMP"
}
/usr/sbin/dovecot -c "$IMAPTMP/dovecot.conf"
for _ in $(seq 50); do
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$IMAPPORT" \
    2>/dev/null && break
  sleep 0.1
done
# Added to the cleanup already set (Redis, clamd); the traps .ci/run sets later replace it, so a
# watcher stops Dovecot when the run ends too.
previous_exit_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
trap "stop_dovecot; ${previous_exit_trap:-true}" EXIT
( parent=$$; while kill -0 "$parent" 2>/dev/null; do sleep 2; done; stop_dovecot ) >/dev/null 2>&1 &
export KLACHTENPORTAAL_TEST_IMAP_HOST=127.0.0.1
export KLACHTENPORTAAL_TEST_IMAP_PORT="$IMAPPORT"
export KLACHTENPORTAAL_TEST_IMAP_USER="$IMAPUSER"
export KLACHTENPORTAAL_TEST_IMAP_PASSWORD="$IMAPPASSWORD"
export KLACHTENPORTAAL_TEST_IMAP_CAFILE="$IMAPTMP/cert.pem"
export KLACHTENPORTAAL_TEST_IMAP_MAILDIR="$IMAPTMP/home/$IMAPUSER/Maildir"
