using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using MediaGateway.Tests.Security;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Telemetry;

/// <summary>scripts/collect-diagnostics.sh: its redaction, and a run against the real local gateway.</summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class CollectDiagnosticsTests(LocalGatewayFixture gateway)
{
    private static readonly string Script = Path.Combine(EngineFixture.RepositoryRoot, "scripts", "collect-diagnostics.sh");

    private static async Task<(int ExitCode, string Output)> RunAsync(string? stdin, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = EngineFixture.RepositoryRoot };
        start.ArgumentList.Add(Script);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await output + await error);
    }

    // Each line: a secret in one of the places configuration and logs carry them.
    private const string Sample = """
        AzureWebJobsStorage=DefaultEndpointsProtocol=https;AccountName=mgstore;AccountKey=U0VDUkVULUFDQ09VTlQtS0VZ;EndpointSuffix=core.windows.net
        {"AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=mgstore;AccountKey=U0VDUkVULUFDQ09VTlQtS0VZ"}
        Endpoint=sb://mg.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=SECRET-SAS-KEY
        results url: https://mgstore.blob.core.windows.net/results/x.json?sv=2024-11-04&se=2026-12-01&sr=b&sp=r&sig=SECRET%2BSIGNATURE%3D
        "MediaGateway:Engine:Neo4j:Password": "SECRET-NEO4J-PASSWORD",
        MediaGateway__Engine__Milvus__Token=SECRET-MILVUS-TOKEN
        MediaGateway__LocalHost__FunctionKey=SECRET-FUNCTION-KEY
        x-functions-key: SECRET-HEADER-KEY
        GET /api/v1/health/details?code=SECRET-CODE-KEY
        Authorization: Bearer SECRET.JWT.TOKEN
        command line: dotnet MediaGateway.LocalHost.dll --MediaGateway:LocalHost:FunctionKey=SECRET-CLI-KEY --MediaGateway:Neo4j:Password SECRET-CLI-PASSWORD --storage azurite
        APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey=SECRET-IKEY;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/
        MediaGateway__Engine__Backend=Cuda
        "MediaGateway:Engine:CatalogPath": "data/movies.json"
        """;

    [Fact]
    public async Task Redaction_removes_every_kind_of_secret_and_keeps_the_rest()
    {
        var (exit, output) = await RunAsync(Sample, "--redact");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("SECRET", output);
        Assert.Equal(Sample.Split('\n').Length, output.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("AccountName=mgstore", output);
        Assert.Contains("EndpointSuffix=core.windows.net", output);
        Assert.Contains("sv=2024-11-04&se=2026-12-01", output);
        Assert.Contains("MediaGateway__Engine__Backend=Cuda", output);
        Assert.Contains("--storage azurite", output);   // a command line keeps its other arguments
        Assert.Contains("\"MediaGateway:Engine:CatalogPath\": \"data/movies.json\"", output);
    }

    [Fact]
    public async Task Against_a_running_gateway_it_archives_health_queue_depth_versions_and_configuration_without_the_key()
    {
        var outDir = Directory.CreateTempSubdirectory("mg-diagnostics-");
        try
        {
            var url = gateway.Client.BaseAddress!.ToString().TrimEnd('/');
            var (exit, output) = await RunAsync(null, "--url", url, "--key", LocalGatewayFixture.FunctionKey, "--out", outDir.FullName, "--log", Path.Combine(outDir.FullName, "none.log"));
            Assert.True(exit == 0, output);
            Assert.Contains("GET /api/v1/health → HTTP 200", output);
            Assert.Contains("GET /api/v1/health/details → HTTP 200", output);
            Assert.Matches(@"search-jobs queue: \d+ waiting", output);

            var files = ReadArchive(Assert.Single(outDir.GetFiles("mediagateway-diagnostics-*.tar.gz")).FullName);
            Assert.Equal(["configuration.txt", "gpu.txt", "health-details.json", "health.json", "recent.log", "summary.txt", "versions.txt"], files.Keys.Order().ToArray());
            Assert.Contains("\"status\"", files["health.json"]);
            Assert.Contains("\"queue\"", files["health-details.json"]);
            Assert.Contains("Microsoft.NETCore.App", files["versions.txt"]);
            Assert.True(files["gpu.txt"].Contains("GPU: none") || files["gpu.txt"].Contains("driver_version"), files["gpu.txt"]);
            Assert.All(files, f => Assert.DoesNotContain(LocalGatewayFixture.FunctionKey, f.Value));
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> ReadArchive(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var files = new Dictionary<string, string>();
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            using var reader = new StreamReader(entry.DataStream);
            files[Path.GetFileName(entry.Name)] = reader.ReadToEnd();
        }
        return files;
    }
}
