using RtmsGateway.Hosting;

await GatewayApplication.Build(args).RunAsync();
