using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace MediaGateway.Infra.Tests;

/// <summary>
/// azure.yaml and the azd conventions of the template: documented schema fields only, service names that
/// match the azd-service-name tags azd deploys by, the parameters file, and resource naming.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class AzdTests(BicepTemplateFixture fixture)
{
    // Fields of the azure.yaml schema (v1.0) that this template may use.
    private static readonly string[] TopLevelFields = ["name", "resourceGroup", "metadata", "infra", "services", "pipeline", "hooks", "requiredVersions", "state", "platform", "workflows", "cloud"];
    private static readonly string[] InfraFields = ["provider", "path", "module", "layers"];
    private static readonly string[] ServiceFields = ["project", "host", "language", "docker", "dist", "module", "resourceName", "resourceGroup", "image", "hooks", "k8s", "config", "env", "uses", "apiVersion", "remoteBuild"];
    private static readonly string[] DockerFields = ["path", "context", "platform", "registry", "image", "tag", "buildArgs", "network", "remoteBuild"];

    private YamlMappingNode AzureYaml()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(fixture.InRepository("azure.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[new YamlScalarNode(key)]).Value!;

    private static IEnumerable<string> Keys(YamlMappingNode node) => node.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!);

    private YamlMappingNode Services => Map(AzureYaml(), "services");

    [Fact]
    public void Azure_yaml_uses_only_documented_schema_fields()
    {
        var root = AzureYaml();
        Assert.Empty(Keys(root).Except(TopLevelFields));
        Assert.Empty(Keys(Map(root, "infra")).Except(InfraFields));
        foreach (var service in Services.Children.Values.Cast<YamlMappingNode>())
        {
            Assert.Empty(Keys(service).Except(ServiceFields));
            if (service.Children.ContainsKey(new YamlScalarNode("docker")))
                Assert.Empty(Keys(Map(service, "docker")).Except(DockerFields));
        }
    }

    [Fact]
    public void Azure_yaml_provisions_infra_main_bicep()
    {
        var infra = Map(AzureYaml(), "infra");
        Assert.Equal("bicep", Scalar(infra, "provider"));
        Assert.True(File.Exists(fixture.InRepository(Scalar(infra, "path"), Scalar(infra, "module") + ".bicep")));
    }

    [Fact]
    public void Functions_service_deploys_the_Functions_project_to_a_function_app()
    {
        var functions = Map(Services, "functions");
        Assert.Equal(("function", "dotnet"), (Scalar(functions, "host"), Scalar(functions, "language")));
        Assert.True(File.Exists(fixture.InRepository(Scalar(functions, "project"), "MediaGateway.Functions.csproj")));
    }

    [Fact]
    public void Gpu_runner_service_deploys_the_runner_to_a_container_app()
    {
        var runner = Map(Services, "gpu-runner");
        Assert.Equal(("containerapp", "dotnet"), (Scalar(runner, "host"), Scalar(runner, "language")));
        Assert.True(File.Exists(fixture.InRepository(Scalar(runner, "project"), "MediaGateway.GpuRunner.csproj")));
    }

    [Fact]
    public void Gpu_runner_image_is_built_from_its_Dockerfile_with_the_repository_root_as_context()
    {
        var runner = Map(Services, "gpu-runner");
        var project = fixture.InRepository(Scalar(runner, "project"));
        var docker = Map(runner, "docker");
        // azd resolves both paths relative to the service's project folder.
        Assert.Equal(fixture.InRepository("gpu-runner", "Dockerfile"), Path.GetFullPath(Path.Combine(project, Scalar(docker, "path"))));
        Assert.Equal(Path.TrimEndingDirectorySeparator(fixture.RepositoryRoot),
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(project, Scalar(docker, "context")))));
    }

    [Theory]
    [InlineData("Microsoft.Web/sites", "functions")]
    [InlineData("Microsoft.App/containerApps", "gpu-runner")]
    public void Service_resource_has_its_azd_service_name_tag(string type, string serviceName)
    {
        var tags = TemplateShortcuts.Object(fixture.Deployment.Single(type).Get("tags"));
        Assert.Equal(serviceName, tags.GetValueOrDefault("azd-service-name"));
    }

    // With the per-resource tag tests above, this makes the two sides match: azd deploys a service to the
    // resource tagged with its name, so a tag naming no service in azure.yaml is a typo that breaks deploys.
    [Fact]
    public void Every_azd_service_name_tag_names_a_service_in_azure_yaml()
    {
        var tagged = fixture.Deployment.Resources
            .Select(r => r.Get("tags"))
            .OfType<Dictionary<string, object?>>()
            .Select(t => t.GetValueOrDefault("azd-service-name"))
            .OfType<string>();
        Assert.Empty(tagged.Except(Keys(Services)));
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    [InlineData("principalId", "${AZURE_PRINCIPAL_ID}")]
    [InlineData("runnerImage", "${SERVICE_GPU_RUNNER_IMAGE_NAME=}")]
    [InlineData("runnerExists", "${SERVICE_GPU_RUNNER_RESOURCE_EXISTS=false}")]
    [InlineData("runnerMinReplicas", "${RUNNER_MIN_REPLICAS=0}")]
    [InlineData("runnerMaxReplicas", "${RUNNER_MAX_REPLICAS=1}")]
    public void Parameters_file_maps_azd_environment_variables(string parameter, string value)
    {
        Assert.Equal(value, ParametersFile()[parameter]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void Parameters_file_sets_only_parameters_main_bicep_declares()
    {
        var declared = ((JsonObject)fixture.Template["parameters"]!).Select(p => p.Key);
        Assert.Empty(ParametersFile().Select(p => p.Key).Except(declared));
    }

    [Fact]
    public void Resource_names_use_the_azd_resource_token()
    {
        Assert.Equal("[toLower(uniqueString(subscription().id, parameters('environmentName'), parameters('location')))]",
            fixture.Template["variables"]!["resourceToken"]!.GetValue<string>());
    }

    [Fact]
    public void Resource_name_prefixes_come_from_abbreviations_json()
    {
        var abbreviations = JsonNode.Parse(File.ReadAllText(fixture.InRepository("infra", "abbreviations.json")));
        Assert.Equal(JsonSerializer.Serialize(Arm.ArmExpression.FromJson(abbreviations)),
            JsonSerializer.Serialize(fixture.Deployment.Main.Variable("abbrs")));
    }

    [Fact]
    public void Template_creates_its_resource_group_at_subscription_scope()
    {
        Assert.Contains("subscriptionDeploymentTemplate", fixture.Template["$schema"]!.GetValue<string>());
        Assert.Single(fixture.Deployment.OfType("Microsoft.Resources/resourceGroups"));
    }

    private JsonObject ParametersFile() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(fixture.InRepository("infra", "main.parameters.json")))!["parameters"]!;
}
