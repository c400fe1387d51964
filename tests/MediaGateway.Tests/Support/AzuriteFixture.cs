using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MediaGateway.Tests.Support;

/// <summary>
/// A real Azurite (the Azure Storage emulator, installed by <c>npm ci</c>) on free ports, in memory,
/// started for the test run and stopped after it.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    // Azurite's documented, public development account; it only opens this local emulator.
    private const string Account = "devstoreaccount1";
    private const string PublicEmulatorKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Process? _process;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var root = EngineFixture.RepositoryRoot;
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite)) throw new InvalidOperationException($"Azurite is not installed at {azurite}: run 'npm ci' in the repository root.");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo(azurite)
        {
            ArgumentList = { "--silent", "--inMemoryPersistence", "--skipApiVersionCheck",
                "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={PublicEmulatorKey};" +
                           $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
        // Generous: on a loaded 2-core machine, with the engine tests starting in parallel, Node takes a while.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        foreach (var port in new[] { blob, queue, table })
        {
            while (!await IsListeningAsync(port))
            {
                if (_process.HasExited) throw new InvalidOperationException($"Azurite exited: {await _process.StandardError.ReadToEndAsync()}");
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Azurite did not listen on port {port} within 120 s.");
                await Task.Delay(100);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
