using RtmsGateway.Simulator.Cli;

return await SimulatorCommand.RunAsync(args);
