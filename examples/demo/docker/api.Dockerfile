# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/payments-api ./cmd/api

# Kubernetes ignores Docker's HEALTHCHECK; k8s/api.yaml probes /healthz instead.
# tollgate:ignore TG-DOCKER-005 reason="health is checked by the Deployment's liveness and readiness probes"
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/payments-api /payments-api
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/payments-api"]
