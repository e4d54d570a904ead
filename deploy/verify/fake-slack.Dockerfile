# Fake Slack Web API for deploy/verify.sh (python3 from Debian, no third-party packages).
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
COPY fake_slack.py /usr/local/bin/fake_slack.py
USER 65534:65534
EXPOSE 8000
CMD ["python3", "-u", "/usr/local/bin/fake_slack.py"]
