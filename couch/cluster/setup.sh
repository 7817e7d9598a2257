#!/bin/sh
# Joins the three nodes of couch/cluster/compose.yaml into one cluster (run once, after
# `docker compose up`). Idempotent enough to re-run: "already" answers are expected then.
set -eu
USER=${COUCHDB_USER:-admin}
PASS=${COUCHDB_PASSWORD:?set COUCHDB_PASSWORD}
NODE1=${NODE1_URL:-http://127.0.0.1:5984}
NODES=${CLUSTER_NODES:-"couch2.ict couch3.ict"}
SECRET=${COUCHDB_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
UUID=${COUCHDB_UUID:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}

post() { curl -fsS -u "$USER:$PASS" -H 'Content-Type: application/json' -X POST "$NODE1/_cluster_setup" -d "$1" || true; echo; }

post "{\"action\":\"enable_cluster\",\"bind_address\":\"0.0.0.0\",\"username\":\"$USER\",\"password\":\"$PASS\",\"node_count\":3}"
for host in $NODES; do
  post "{\"action\":\"enable_cluster\",\"bind_address\":\"0.0.0.0\",\"username\":\"$USER\",\"password\":\"$PASS\",\"port\":5984,\"node_count\":3,\"remote_node\":\"$host\",\"remote_current_user\":\"$USER\",\"remote_current_password\":\"$PASS\"}"
  post "{\"action\":\"add_node\",\"host\":\"$host\",\"port\":5984,\"username\":\"$USER\",\"password\":\"$PASS\"}"
done
post '{"action":"finish_cluster"}'

# The same uuid and cookie secret on every node.
for node in $(curl -fsS -u "$USER:$PASS" "$NODE1/_membership" | sed 's/.*"cluster_nodes":\[\([^]]*\)\].*/\1/' | tr -d '"' | tr ',' ' '); do
  curl -fsS -u "$USER:$PASS" -X PUT "$NODE1/_node/$node/_config/couchdb/uuid" -d "\"$UUID\"" >/dev/null
  curl -fsS -u "$USER:$PASS" -X PUT "$NODE1/_node/$node/_config/chttpd_auth/secret" -d "\"$SECRET\"" >/dev/null
done
curl -fsS -u "$USER:$PASS" "$NODE1/_membership"; echo
curl -fsS -u "$USER:$PASS" "$NODE1/_cluster_setup"; echo
