using RtmsGateway.Hosting;

GatewayApplication.PreferInlineSocketCompletions();
await GatewayApplication.Build(args).RunAsync();
