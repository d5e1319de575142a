# RtmsGateway container image: restore in its own layer (it changes only with the package versions), publish with the
# SDK, run on the chiseled ASP.NET runtime (no shell, no package manager, non-root by default; invariant globalization
# is on in the project, so it needs no ICU).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/RtmsGateway/RtmsGateway.csproj src/RtmsGateway/
COPY src/RtmsGateway.Protocol/RtmsGateway.Protocol.csproj src/RtmsGateway.Protocol/
COPY src/RtmsGateway.Simulator/RtmsGateway.Simulator.csproj src/RtmsGateway.Simulator/
RUN dotnet restore src/RtmsGateway/RtmsGateway.csproj
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/RtmsGateway/RtmsGateway.csproj -c Release -o /app --no-self-contained --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
# gRPC (h2c) and HTTP (webhooks, health, metrics); see k8s/base/deployment.yaml.
EXPOSE 50051 8080
ENV ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=1
# The chiseled image's app user (UID 1654, APP_UID); the Deployment also requires runAsNonRoot.
USER $APP_UID
ENTRYPOINT ["dotnet", "RtmsGateway.dll"]
