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

    private static string? RunnerImage(Arm.ArmDeployment d) =>
        (string?)Assert.Single(Objects(d.RunnerApp().Get("properties.template.containers")))["image"];

    /// <summary>The gpu-runner app as it exists after a deploy: running an image azd pushed.</summary>
    private static readonly Dictionary<string, object?> DeployedRunner = new()
    {
        ["Microsoft.App/containerApps"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["template"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["containers"] = new List<object?>
                {
                    new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["name"] = "gpu-runner", ["image"] = "crexample.azurecr.io/mediagateway/gpu-runner-infra-test:azd-deploy-1" },
                },
            },
        },
    };

    [Fact]
    public void A_new_image_from_azd_is_deployed()
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerImage"] = "crexample.azurecr.io/gpu-runner:2", ["runnerExists"] = true }, DeployedRunner);
        Assert.Equal("crexample.azurecr.io/gpu-runner:2", RunnerImage(deployment));
    }

    // The redeploy the issue found broken: `azd provision` where SERVICE_GPU_RUNNER_IMAGE_NAME is not set (CI,
    // another machine) put the placeholder back and forced 0 replicas.
    [Fact]
    public void A_provision_without_an_image_keeps_the_image_the_runner_runs_now_and_its_replicas()
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerExists"] = true, ["runnerMinReplicas"] = 1L }, DeployedRunner);
        Assert.Equal("crexample.azurecr.io/mediagateway/gpu-runner-infra-test:azd-deploy-1", RunnerImage(deployment));
        Assert.Equal(1L, deployment.RunnerApp().Get("properties.template.scale.minReplicas"));
    }

    [Fact]
    public void The_current_image_is_looked_up_on_the_runner_app_itself()
    {
        var lookup = Deployment.ModuleScope("runner-current-image");
        Assert.Equal(Deployment.RunnerApp().Get("name"), lookup.Parameter("name"));
        Assert.Contains("'Microsoft.App/containerApps'", lookup.Template["outputs"]!["image"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Before_the_first_deploy_the_placeholder_runs_with_no_replica()
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerMinReplicas"] = 1L });
        Assert.Equal("mcr.microsoft.com/k8se/quickstart:latest", RunnerImage(deployment));
        Assert.Equal(0L, deployment.RunnerApp().Get("properties.template.scale.minReplicas"));
    }

    [Theory]
    [InlineData(3L, 1L)]
    [InlineData(2L, 1L)]
    [InlineData(10L, 9L)]
    public void More_min_than_max_replicas_fails_the_deployment_naming_both(long min, long max)
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerMinReplicas"] = min, ["runnerMaxReplicas"] = max, ["runnerImage"] = "crexample.azurecr.io/gpu-runner:2" });
        var failure = Assert.Throws<Arm.ArmDeploymentFailedException>(() => deployment.RunnerApp().Get("properties.template.scale.maxReplicas"));
        Assert.Contains($"RUNNER_MIN_REPLICAS ({min})", failure.Message);
        Assert.Contains($"RUNNER_MAX_REPLICAS ({max})", failure.Message);
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(2L, 2L)]
    [InlineData(1L, 10L)]
    public void Min_replicas_up_to_max_replicas_deploy(long min, long max)
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["runnerMinReplicas"] = min, ["runnerMaxReplicas"] = max, ["runnerImage"] = "crexample.azurecr.io/gpu-runner:2" });
        Assert.Equal(max, deployment.RunnerApp().Get("properties.template.scale.maxReplicas"));
        Assert.Equal(min, deployment.RunnerApp().Get("properties.template.scale.minReplicas"));
    }

    private IReadOnlyList<string> AllowedLocations() =>
        fixture.Template["parameters"]!["location"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();

    private IReadOnlyList<string> GpuRegions(string gpu) =>
        ((List<object?>)((Dictionary<string, object?>)Deployment.Main.Variable("gpuRegions")!)[gpu]!).Cast<string>().ToList();

    [Fact]
    public void Location_is_limited_to_regions_with_serverless_GPUs()
    {
        Assert.Equal(GpuRegions("T4").Union(GpuRegions("A100")).Order(), AllowedLocations().Order());
        Assert.DoesNotContain("eastus2", AllowedLocations()); // Flex Consumption, but no serverless GPUs
    }

    [Fact]
    public void A100_regions_are_a_subset_of_the_allowed_locations()
    {
        Assert.Empty(GpuRegions("A100").Except(AllowedLocations()));
        Assert.True(GpuRegions("A100").Count < GpuRegions("T4").Count);
    }

    [Theory]
    [InlineData("francecentral", "T4", true)]
    [InlineData("francecentral", "A100", false)]
    [InlineData("westeurope", "A100", false)]
    [InlineData("swedencentral", "A100", true)]
    [InlineData("westus3", "T4", true)]
    public void A_GPU_type_its_region_lacks_fails_the_deployment(string location, string gpu, bool deploys)
    {
        var deployment = fixture.With(new Dictionary<string, object?> { ["location"] = location, ["gpuProfileType"] = gpu });
        object? Profiles() => deployment.ContainerAppsEnvironment().Get("properties.workloadProfiles");
        if (deploys)
        {
            Assert.NotNull(Profiles());
        }
        else
        {
            var failure = Assert.Throws<Arm.ArmDeploymentFailedException>(Profiles);
            Assert.Contains($"{gpu} GPUs are not offered in {location}", failure.Message);
        }
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
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")]
    public void Runner_sends_telemetry_to_application_insights_as_its_identity(string setting)
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
    public void A_Neo4j_endpoint_switches_the_runners_ontology_store_to_Neo4j_and_none_keeps_it_embedded()
    {
        Assert.Equal("Neo4j", fixture.With(OptionalServices).RunnerEnvironment()["MediaGateway__Engine__OntologyStore"]);
        Assert.False(Deployment.RunnerEnvironment().ContainsKey("MediaGateway__Engine__OntologyStore"));
    }

    [Fact]
    public void Optional_services_are_absent_when_not_configured()
    {
        Assert.DoesNotContain(Deployment.RunnerEnvironment().Keys, k => k.Contains("Milvus", StringComparison.Ordinal) || k.Contains("Neo4j", StringComparison.Ordinal));
        Assert.Empty(Assert.IsType<List<object?>>(Deployment.RunnerApp().Get("properties.configuration.secrets")));
    }
}
