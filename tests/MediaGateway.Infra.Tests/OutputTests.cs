using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace MediaGateway.Infra.Tests;

/// <summary>
/// Deployment outputs are stored in plain text (deployment history, azd's .env), so none may carry a secret.
/// Module outputs count too: they are visible in the resource group's deployment history.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed partial class OutputTests(BicepTemplateFixture fixture)
{
    private IEnumerable<(string Template, string Name, string Value)> AllOutputs() =>
        fixture.Deployment.Templates.SelectMany(t =>
            (t.Template["outputs"] as JsonObject ?? []).Select(o => (t.Name, o.Key, Text(o.Value!["value"]))));

    private static string Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "";

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_RESOURCE_GROUP")]
    [InlineData("AZURE_CONTAINER_REGISTRY_ENDPOINT")]
    [InlineData("SERVICE_FUNCTIONS_NAME")]
    [InlineData("SERVICE_GPU_RUNNER_NAME")]
    public void Main_outputs_what_azd_needs(string output)
    {
        Assert.True(fixture.Template["outputs"]?[output] is not null, $"main.bicep has no output {output}");
    }

    [Fact]
    public void No_output_name_looks_like_a_secret()
    {
        Assert.DoesNotContain(AllOutputs(), o => SecretWord().IsMatch(o.Name));
    }

    [Fact]
    public void No_output_reads_a_secure_parameter()
    {
        var secureParameters = fixture.Deployment.Templates
            .SelectMany(t => (t.Template["parameters"] as JsonObject ?? [])
                .Where(p => p.Value!["type"]!.GetValue<string>() is "securestring" or "secureObject")
                .Select(p => (t.Name, Parameter: p.Key)))
            .ToList();
        Assert.NotEmpty(secureParameters);
        Assert.DoesNotContain(AllOutputs(), o => secureParameters.Any(s => s.Name == o.Template && o.Value.Contains($"parameters('{s.Parameter}')", StringComparison.Ordinal)));
    }

    [Fact]
    public void No_output_value_is_a_key_or_connection_string()
    {
        Assert.DoesNotContain(AllOutputs(), o => SecretSource().IsMatch(o.Value));
    }

    [Theory]
    [InlineData("main", "milvusToken")]
    [InlineData("main", "neo4jPassword")]
    [InlineData("container-apps", "milvusToken")]
    [InlineData("container-apps", "neo4jPassword")]
    public void Credential_parameter_is_secure(string template, string parameter)
    {
        var scope = fixture.Deployment.Templates.Single(t => t.Name == template);
        Assert.Equal("securestring", scope.Template["parameters"]![parameter]!["type"]!.GetValue<string>());
    }

    [GeneratedRegex("password|secret|token|key|connectionstring|credential|sas", RegexOptions.IgnoreCase)]
    private static partial Regex SecretWord();

    [GeneratedRegex(@"list\w*\(|ConnectionString|InstrumentationKey|primaryKey|sharedKey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSource();
}
