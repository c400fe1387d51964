using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Infra.Tests;

/// <summary>The storage account: hardened, key-less, and holding exactly what the code expects.</summary>
[Collection(BicepCollection.Name)]
public sealed class StorageTests(BicepTemplateFixture fixture)
{
    private Arm.ArmResource Account => fixture.Deployment.StorageAccount();

    [Fact]
    public void Shared_key_access_is_disabled()
    {
        Assert.Equal(false, Account.Get("properties.allowSharedKeyAccess"));
    }

    [Fact]
    public void Minimum_TLS_version_is_1_2()
    {
        Assert.Equal("TLS1_2", Account.Get("properties.minimumTlsVersion"));
    }

    [Fact]
    public void Only_HTTPS_traffic_is_accepted()
    {
        Assert.Equal(true, Account.Get("properties.supportsHttpsTrafficOnly"));
    }

    [Fact]
    public void Blob_public_access_is_disabled()
    {
        Assert.Equal(false, Account.Get("properties.allowBlobPublicAccess"));
    }

    [Theory]
    [InlineData(StorageNames.SearchQueue)]
    [InlineData(StorageNames.SearchPoisonQueue)]
    [InlineData(StorageNames.BatchQueue)]
    [InlineData(StorageNames.BatchPoisonQueue)]
    public void Queue_exists(string queue)
    {
        Assert.Contains(queue, fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    // Nothing that no code uses: the `cache` table and `catalog` container of earlier versions are gone.
    [Fact]
    public void Tables_are_exactly_the_ones_the_code_uses()
    {
        Assert.Equal([StorageNames.JobsTable], fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/tableServices/tables"));
    }

    [Fact]
    public void Blob_containers_are_results_index_snapshots_catalog_imports_and_the_deployment_package()
    {
        var deploymentContainer = fixture.Deployment.ModuleScope("function-app").Parameter("deploymentContainerName");
        Assert.Equal(new[] { StorageNames.ResultsContainer, "index-snapshots", "catalog-imports", (string)deploymentContainer! }.Order(),
            fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/blobServices/containers").Order());
    }

    private Dictionary<string, object?> ResultExpiryRule(Arm.ArmDeployment deployment)
    {
        var policy = deployment.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(TemplateShortcuts.Objects(policy.Get("properties.policy.rules")));
        Assert.Equal(true, rule["enabled"]);
        return TemplateShortcuts.Object(rule["definition"]);
    }

    [Fact]
    public void A_lifecycle_rule_deletes_search_results_after_resultRetentionDays()
    {
        var definition = ResultExpiryRule(fixture.With(new Dictionary<string, object?> { ["resultRetentionDays"] = 3L }));
        var filters = TemplateShortcuts.Object(definition["filters"]);
        Assert.Equal([$"{StorageNames.ResultsContainer}/"], Assert.IsType<List<object?>>(filters["prefixMatch"]));
        var delete = TemplateShortcuts.Object(TemplateShortcuts.Object(TemplateShortcuts.Object(definition["actions"])["baseBlob"])["delete"]);
        Assert.Equal(3L, delete["daysAfterModificationGreaterThan"]);
    }

    [Fact]
    public void Search_results_are_kept_one_day_by_default()
    {
        var delete = TemplateShortcuts.Object(TemplateShortcuts.Object(TemplateShortcuts.Object(ResultExpiryRule(fixture.Deployment)["actions"])["baseBlob"])["delete"]);
        Assert.Equal(1L, delete["daysAfterModificationGreaterThan"]);
    }

    [Fact]
    public void Flex_deployment_package_container_exists_in_the_account()
    {
        var value = (string)fixture.Deployment.FunctionApp().Node("properties.functionAppConfig.deployment.storage.value")!.GetValue<string>();
        var containerName = fixture.Deployment.ModuleScope("function-app").Parameter("deploymentContainerName");
        Assert.Contains("deploymentContainerName", value, StringComparison.Ordinal);
        Assert.Contains(containerName, fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Fact]
    public void No_blob_container_is_public()
    {
        Assert.All(fixture.Deployment.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => Assert.Equal("None", c.Get("properties.publicAccess")));
    }
}
