using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Search;
using MediaGateway.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Functions;

/// <summary>What the gateway's health details say about the runner, from its last heartbeat.</summary>
public sealed class RunnerHealthCheckTests
{
    private static async Task<HealthCheckResult> CheckAsync(RunnerStatus status)
    {
        var store = new InProcessResultStore();
        await store.PutRunnerStatusAsync(status);
        return await new RunnerHealthCheck(store, Options.Create(new GatewayOptions()), TimeProvider.System).CheckHealthAsync(new HealthCheckContext());
    }

    [Fact]
    public async Task A_runner_on_the_GPU_reports_where_it_ranks_and_which_batch_kernel_its_timing_at_load_chose()
    {
        const string batchKernel = "batches of 64+: 64 queries per block up to k = 64 (scan of 1,024 queries over 5,000,000 rows, ms with 64 queries per block / 32: k = 32: 30.000 / 36.000; k = 64: 31.000 / 36.500)";
        var result = await CheckAsync(new RunnerStatus
        {
            Instance = "runner-1", Backend = "cuda:NVIDIA H200 (sm_90)", BackendReason = "NVIDIA H200 (sm_90, 132 SMs, 140 GiB)", Ready = true,
            LastSeen = DateTimeOffset.UtcNow, RankDevice = "cuda", BatchKernel = batchKernel,
        });
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("cuda", result.Data["rankDevice"]);
        Assert.Equal(batchKernel, result.Data["batchKernel"]);
    }

    [Fact]
    public async Task A_ready_runner_busy_with_an_import_says_what_it_is_doing()
    {
        var result = await CheckAsync(new RunnerStatus
        {
            Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow, CatalogItems = 3200,
            Detail = "ready; importing catalog 0123abcd: embedding catalog 3584/8000",
        });
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("gpu-runner ready on cpu with 3200 items (importing catalog 0123abcd: embedding catalog 3584/8000).", result.Description);
        var idle = await CheckAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow, CatalogItems = 3200, Detail = "ready" });
        Assert.Equal("gpu-runner ready on cpu with 3200 items.", idle.Description);
    }

    [Fact]
    public async Task A_runner_on_the_CPU_has_no_batch_kernel_to_report()
    {
        var result = await CheckAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow, RankDevice = "cpu" });
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.False(result.Data.ContainsKey("batchKernel"));
    }
}
