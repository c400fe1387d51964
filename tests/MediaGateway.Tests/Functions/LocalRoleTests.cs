using MediaGateway.Functions.Http;
using MediaGateway.GpuRunner;
using MediaGateway.LocalHost;
using MediaGateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGateway.Tests.Functions;

/// <summary>
/// The local host's --role: the gateway alone has the HTTP routes and no engine, the runner alone has the engine
/// and its probes and no routes, and a split needs storage that two processes can share.
/// </summary>
public sealed class LocalRoleTests
{
    // As on the command line: --role and --storage are read before any other configuration.
    private static WebApplication Build(string role, string storage) => LocalGateway.Build(["--role", role, "--storage", storage], new Dictionary<string, string?>
    {
        ["urls"] = "http://127.0.0.1:0",
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", // never contacted: the apps are built, not started
    });

    private static string[] Routes(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Order().ToArray();

    [Fact]
    public async Task The_gateway_role_serves_the_routes_without_an_engine()
    {
        await using var app = Build("gateway", "azurite");
        Assert.Null(app.Services.GetService<EngineHost>());
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is QueueTriggerPump);
        Assert.NotNull(app.Services.GetService<SearchFunctions>());
        Assert.Contains("/api/v1/search", Routes(app));
        Assert.Contains("/readyz", Routes(app));
    }

    [Fact]
    public async Task The_runner_role_runs_the_engine_and_its_probes_without_routes()
    {
        await using var app = Build("runner", "azurite");
        Assert.NotNull(app.Services.GetService<EngineHost>());
        Assert.Null(app.Services.GetService<SearchFunctions>());
        Assert.Equal(["/healthz", "/readyz"], Routes(app));
        // The batch queue belongs to the gateway's queue-triggered function: a runner alone must not read (and poison) it.
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s is QueueTriggerPump);
    }

    [Fact]
    public async Task A_runner_batch_larger_than_a_queue_hands_out_is_refused_not_clamped_in_silence()
    {
        await using var app = LocalGateway.Build(["--role", "runner", "--storage", "azurite"], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["MediaGateway:Runner:BatchSize"] = "64",
        });
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RunnerOptions>>().Value);
        Assert.Contains("BatchSize must be 1–32", e.Message);
    }

    [Fact]
    public async Task The_default_role_runs_both()
    {
        await using var app = Build("all", "inprocess");
        Assert.NotNull(app.Services.GetService<EngineHost>());
        Assert.Contains("/api/v1/search", Routes(app));
        Assert.Contains("/readyz", Routes(app));
    }

    [Theory]
    [InlineData("runner", "inprocess", "needs --storage azurite")]
    [InlineData("gateway", "inprocess", "needs --storage azurite")]
    [InlineData("worker", "azurite", "must be 'all', 'gateway' or 'runner'")]
    public void A_role_that_cannot_work_is_refused_at_start(string role, string storage, string message)
    {
        var e = Assert.Throws<LocalHostUsageException>(() => Build(role, storage));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task The_host_process_prints_a_refused_command_line_without_a_stack_trace_and_exits_2()
    {
        // The real executable, started as the runner-process tests start it, as `dotnet run -- --role worker` would.
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", [RunnerProcess.HostAssembly, "--role", "worker"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var (output, error) = (process.StandardOutput.ReadToEndAsync(timeout.Token), process.StandardError.ReadToEndAsync(timeout.Token));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("MediaGateway.LocalHost: --role must be 'all', 'gateway' or 'runner', not 'worker'.", (await error).Trim());
        Assert.DoesNotContain("   at ", await output + await error);
    }
}
