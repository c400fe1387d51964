using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaGateway.Tests.Support;

/// <summary>
/// The local host in runner-only mode (<c>--role runner</c>) as a separate OS process on Azurite, so a test can
/// kill it outright (SIGKILL: no shutdown code runs) while the gateway keeps going, as a crashed GPU container would.
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly int _port;

    private RunnerProcess(Process process, int port)
    {
        (_process, _port) = (process, port);
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The local host built beside this test assembly's configuration (the test project references it).</summary>
    public static string HostAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
            var path = Path.Combine(EngineFixture.RepositoryRoot, "functions", "MediaGateway.LocalHost", "bin", configuration, "net10.0", "MediaGateway.LocalHost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the local host first: {path} is missing.");
        }
    }

    public static RunnerProcess Start(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostAssembly, "--role", "runner", "--storage", "azurite", "--AzureWebJobsStorage", connectionString, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = EngineFixture.RepositoryRoot,
        };
        foreach (var (key, value) in settings) { start.ArgumentList.Add($"--{key}"); start.ArgumentList.Add(value); }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new RunnerProcess(Process.Start(start) ?? throw new InvalidOperationException("The runner process did not start."), port);
    }

    /// <summary>Waits until the runner's engine is ready (/readyz answers 200), or throws with its output.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The runner exited ({_process.ExitCode}):\n{Output}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{_port}/readyz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The runner was not ready within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: the process gets no chance to finish its batch, delete messages or say goodbye.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
