using Microsoft.Extensions.Options;
using RtmsGateway.Hosting;

GatewayApplication.PreferInlineSocketCompletions();
try
{
    await GatewayApplication.Build(args).RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // A configuration Zoom would refuse (or that cannot work) is the operator's to fix: say what, exit, no stack trace.
    await Console.Error.WriteLineAsync($"RtmsGateway: invalid configuration ({ex.OptionsType.Name}):");
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync($"  {failure}");
    }
    return 2;
}
