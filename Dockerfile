# RtmsGateway container image: build with the SDK, run on the ASP.NET runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/RtmsGateway/RtmsGateway.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# gRPC (h2c) and HTTP (webhooks, health, metrics); see k8s/base/deployment.yaml.
EXPOSE 50051 8080
ENV ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=1
USER $APP_UID
ENTRYPOINT ["dotnet", "RtmsGateway.dll"]
