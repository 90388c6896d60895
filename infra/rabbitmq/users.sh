#!/bin/sh
# One RabbitMQ user per service, allowed only the exchanges and its own queues.
set -eu
admin() { rabbitmqadmin -H rabbitmq -u admin -p "$RABBITMQ_ADMIN_PASSWORD" "$@"; }
until admin list vhosts >/dev/null 2>&1; do sleep 2; done
for service in organisations members evaluations; do
  password=$(eval echo "\$$(echo "$service" | tr a-z A-Z)_AMQP_PASSWORD")
  own="^partyorg\\.events(\\.dead-letter)?\$|^partyorg\\.events\\.$service(\\.dead)?\$"
  admin declare user name="$service" password="$password" tags=
  admin declare permission vhost=/ user="$service" configure="$own" write="$own" read="$own"
done
echo "rabbitmq users ready"
