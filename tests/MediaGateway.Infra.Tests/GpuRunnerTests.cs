using MediaGateway.Contracts.Jobs;
using static MediaGateway.Infra.Tests.TemplateShortcuts;

namespace MediaGateway.Infra.Tests;

/// <summary>The Container Apps environment and the gpu-runner app on its serverless GPU.</summary>
[Collection(BicepCollection.Name)]
public sealed class GpuRunnerTests(BicepTemplateFixture fixture)
{
    private Arm.ArmDeployment Deployment => fixture.Deployment;

    private IEnumerable<Dictionary<string, object?>> WorkloadProfiles(Arm.ArmDeployment d) =>
        Objects(d.ContainerAppsEnvironment().Get("properties.workloadProfiles"));

    [Theory]
    [InlineData("T4", "Consumption-GPU-NC8as-T4")]
    [InlineData("A100", "Consumption-GPU-NC24-A100")]
    public void Environment_has_the_serverless_GPU_profile_chosen_by_gpuProfileType(string gpuProfileType, string workloadProfileType)
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["gpuProfileType"] = gpuProfileType });
        Assert.Contains(WorkloadProfiles(deployment), p => Equals(p["workloadProfileType"], workloadProfileType));
    }

    [Fact]
    public void Environment_keeps_a_Consumption_profile_for_non_GPU_work()
    {
        Assert.Contains(WorkloadProfiles(Deployment), p => Equals(p["workloadProfileType"], "Consumption"));
    }

    [Fact]
    public void GpuProfileType_parameter_allows_exactly_T4_and_A100_defaulting_to_T4()
    {
        var parameter = fixture.Template["parameters"]!["gpuProfileType"]!;
        Assert.Equal(["T4", "A100"], parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("T4", parameter["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public void Runner_app_runs_on_the_GPU_workload_profile()
    {
        var profileName = Deployment.RunnerApp().Get("properties.workloadProfileName");
        var profile = Assert.Single(WorkloadProfiles(Deployment), p => Equals(p["name"], profileName));
        Assert.StartsWith("Consumption-GPU-", (string)profile["workloadProfileType"]!);
    }

    [Fact]
    public void Runner_app_uses_single_revision_mode()
    {
        Assert.Equal("Single", Deployment.RunnerApp().Get("properties.configuration.activeRevisionsMode"));
    }

    [Fact]
    public void Runner_min_replicas_come_from_the_runnerMinReplicas_parameter_and_default_to_zero()
    {
        var deployed = new Dictionary<string, object?> { ["runnerImage"] = "cr.example.azurecr.io/gpu-runner:1" };
        Assert.Equal(0L, fixture.With(deployed).RunnerApp().Get("properties.template.scale.minReplicas"));
        deployed["runnerMinReplicas"] = 2L;
        Assert.Equal(2L, fixture.With(deployed).RunnerApp().Get("properties.template.scale.minReplicas"));
    }

    [Fact]
    public void Placeholder_image_before_the_first_deploy_never_keeps_a_GPU_replica_running()
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerMinReplicas"] = 2L });
        Assert.Equal(0L, deployment.RunnerApp().Get("properties.template.scale.minReplicas"));
    }

    [Fact]
    public void Runner_max_replicas_come_from_the_runnerMaxReplicas_parameter()
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerMaxReplicas"] = 7L });
        Assert.Equal(7L, deployment.RunnerApp().Get("properties.template.scale.maxReplicas"));
    }

    [Theory]
    [InlineData("Liveness", "/healthz")]
    [InlineData("Readiness", "/readyz")]
    public void Runner_has_a_probe_on_port_8080(string probeType, string path)
    {
        var container = Assert.Single(Objects(Deployment.RunnerApp().Get("properties.template.containers")));
        var probe = Assert.Single(Objects(container["probes"]), p => Equals(p["type"], probeType));
        var httpGet = Object(probe["httpGet"]);
        Assert.Equal(path, httpGet["path"]);
        Assert.Equal(8080L, httpGet["port"]);
    }

    private Dictionary<string, object?> QueueScaleRule()
    {
        var rule = Assert.Single(Objects(Deployment.RunnerApp().Get("properties.template.scale.rules")));
        return Object(rule["custom"]);
    }

    [Fact]
    public void Scale_rule_is_KEDA_azure_queue_on_the_search_queue()
    {
        var rule = QueueScaleRule();
        Assert.Equal("azure-queue", rule["type"]);
        Assert.Equal(StorageNames.SearchQueue, Object(rule["metadata"])["queueName"]);
    }

    [Fact]
    public void Scale_rule_authenticates_with_the_runner_managed_identity()
    {
        // Inside the module the rule names the identityId parameter; main passes the runner identity's id.
        var identity = Deployment.RunnerApp().Node("properties.template.scale.rules")![0]!["custom"]!["identity"];
        Assert.Equal("[parameters('identityId')]", identity?.GetValue<string>());
        Assert.Contains("'runner-identity'", Deployment.ModuleScope("container-apps").InputExpression("identityId"));
    }

    [Fact]
    public void Scale_rule_has_no_secret_based_auth()
    {
        var rule = QueueScaleRule();
        Assert.False(rule.ContainsKey("auth"), "the queue scale rule must not authenticate with a secret");
        Assert.DoesNotContain(Object(rule["metadata"]).Keys, k => k.Contains("connection", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__queueServiceUri")]
    [InlineData("AzureWebJobsStorage__blobServiceUri")]
    [InlineData("AzureWebJobsStorage__tableServiceUri")]
    [InlineData("AzureWebJobsStorage__clientId")]
    public void Runner_reaches_storage_by_service_uri_and_managed_identity(string setting)
    {
        var env = Deployment.RunnerEnvironment();
        Assert.True(env.ContainsKey(setting), $"runner env lacks {setting}");
    }

    [Theory]
    [InlineData("MediaGateway__Engine__Backend", "Auto")]
    [InlineData("MediaGateway__Storage__Mode", "Azure")]
    public void Runner_environment_sets(string name, string value)
    {
        Assert.Equal(value, Deployment.RunnerEnvironment().GetValueOrDefault(name));
    }

    [Fact]
    public void Runner_pulls_its_image_with_its_managed_identity()
    {
        var registry = Assert.Single(Objects(Deployment.RunnerApp().Get("properties.configuration.registries")));
        Assert.IsType<Arm.Unresolved>(registry["identity"]); // the identity's resource id, known at deployment
        Assert.False(registry.ContainsKey("passwordSecretRef"));
    }

    private static readonly Dictionary<string, object?> OptionalServices = new()
    {
        ["milvusEndpoint"] = "https://milvus.example:19530",
        ["milvusToken"] = "milvus-token-value",
        ["neo4jEndpoint"] = "neo4j+s://neo4j.example",
        ["neo4jUser"] = "neo4j",
        ["neo4jPassword"] = "neo4j-password-value",
    };

    [Theory]
    [InlineData("MediaGateway__Milvus__Token", "milvusToken")]
    [InlineData("MediaGateway__Neo4j__Password", "neo4jPassword")]
    public void Optional_credentials_reach_the_runner_only_as_container_app_secrets(string envName, string parameter)
    {
        var deployment = fixture.With(OptionalServices);
        var secretRef = Assert.IsType<string>(deployment.RunnerEnvironment()[envName]);
        Assert.StartsWith("secretRef:", secretRef);
        var secrets = Objects(deployment.RunnerApp().Get("properties.configuration.secrets"));
        Assert.Contains(secrets, s => Equals(s["name"], secretRef["secretRef:".Length..]) && Equals(s["value"], OptionalServices[parameter]));
    }

    [Theory]
    [InlineData("MediaGateway__Milvus__Endpoint", "milvusEndpoint")]
    [InlineData("MediaGateway__Neo4j__Endpoint", "neo4jEndpoint")]
    [InlineData("MediaGateway__Neo4j__User", "neo4jUser")]
    public void Optional_service_settings_reach_the_runner_when_set(string envName, string parameter)
    {
        Assert.Equal(OptionalServices[parameter], fixture.With(OptionalServices).RunnerEnvironment()[envName]);
    }

    [Fact]
    public void A_Milvus_endpoint_switches_the_runners_vector_store_to_Milvus_and_none_keeps_it_embedded()
    {
        Assert.Equal("Milvus", fixture.With(OptionalServices).RunnerEnvironment()["MediaGateway__Engine__VectorStore"]);
        Assert.False(Deployment.RunnerEnvironment().ContainsKey("MediaGateway__Engine__VectorStore"));
    }

    [Fact]
    public void Optional_services_are_absent_when_not_configured()
    {
        Assert.DoesNotContain(Deployment.RunnerEnvironment().Keys, k => k.Contains("Milvus", StringComparison.Ordinal) || k.Contains("Neo4j", StringComparison.Ordinal));
        Assert.Empty(Assert.IsType<List<object?>>(Deployment.RunnerApp().Get("properties.configuration.secrets")));
    }
}
