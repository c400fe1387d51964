using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using MediaGateway.Infra.Tests.Arm;

namespace MediaGateway.Infra.Tests;

/// <summary>
/// Compiles infra/main.bicep to ARM JSON once for all tests, with the Bicep CLI from the NuGet package
/// Azure.Bicep.CommandLine.linux-x64 (restored with this project; its folder is baked into the assembly).
/// </summary>
public sealed class BicepTemplateFixture : IDisposable
{
    /// <summary>Values for main.bicep's parameters that have no default, as azd would pass them.</summary>
    public static readonly IReadOnlyDictionary<string, object?> AzdParameters = new Dictionary<string, object?>
    {
        ["environmentName"] = "infra-test",
        ["location"] = "swedencentral",
    };

    private readonly string _outputFolder = Directory.CreateTempSubdirectory("mediagateway-bicep-").FullName;

    public BicepTemplateFixture()
    {
        RepositoryRoot = Metadata("RepositoryRoot");
        var bicep = Path.Combine(Metadata("BicepPackageFolder"), "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
        if (!File.Exists(bicep))
            throw new FileNotFoundException($"Bicep CLI not found at {bicep}; restore the test project (it references Azure.Bicep.CommandLine.linux-x64).");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);

        var armJson = Path.Combine(_outputFolder, "main.json");
        var (exitCode, output) = Run(bicep, "build", InRepository("infra", "main.bicep"), "--outfile", armJson);
        if (exitCode != 0)
            throw new InvalidOperationException($"bicep build failed ({exitCode}):\n{output}");
        BuildOutput = output;
        Template = (JsonObject)JsonNode.Parse(File.ReadAllText(armJson))!;
        TemplateText = Template.ToJsonString();
        Deployment = new ArmDeployment(Template, AzdParameters);
    }

    public string RepositoryRoot { get; }

    /// <summary>What bicep build printed: diagnostics (warnings, linter findings); empty when clean.</summary>
    public string BuildOutput { get; }

    public JsonObject Template { get; }

    public string TemplateText { get; }

    /// <summary>The deployment as `azd up` with default parameters would submit it.</summary>
    public ArmDeployment Deployment { get; }

    /// <summary>The deployment with some of main.bicep's parameters set, and optionally resources that exist already.</summary>
    public ArmDeployment With(IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, object?>? existing = null) =>
        new(Template, AzdParameters.Where(p => !parameters.ContainsKey(p.Key)).Concat(parameters).ToDictionary(p => p.Key, p => p.Value), existing);

    public string InRepository(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    public void Dispose() => Directory.Delete(_outputFolder, recursive: true);

    private static string Metadata(string key) =>
        typeof(BicepTemplateFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Assembly metadata '{key}' is missing; see MediaGateway.Infra.Tests.csproj.");

    private static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}

[CollectionDefinition(Name)]
public sealed class BicepCollection : ICollectionFixture<BicepTemplateFixture>
{
    public const string Name = "Bicep template";
}
