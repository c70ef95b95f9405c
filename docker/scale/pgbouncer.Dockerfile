# PgBouncer as Debian 12 ships it (1.18), run as its unprivileged user. The auth file is
# written at start from POSTGRES_PASSWORD, so the password is in no image layer.
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends pgbouncer \
 && rm -rf /var/lib/apt/lists/*
USER postgres
EXPOSE 6432
CMD ["sh", "-c", "printf '\"wellbeing\" \"%s\"\\n' \"$POSTGRES_PASSWORD\" > /tmp/userlist.txt && exec pgbouncer /etc/pgbouncer/pgbouncer.ini"]
