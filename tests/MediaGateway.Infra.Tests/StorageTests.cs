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
    public void Queue_exists(string queue)
    {
        Assert.Contains(queue, fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/queueServices/queues"));
    }

    [Theory]
    [InlineData(StorageNames.JobsTable)]
    [InlineData("cache")]
    public void Table_exists(string table)
    {
        Assert.Contains(table, fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/tableServices/tables"));
    }

    [Theory]
    [InlineData(StorageNames.ResultsContainer)]
    [InlineData("catalog")]
    [InlineData("index-snapshots")]
    public void Blob_container_exists(string container)
    {
        Assert.Contains(container, fixture.Deployment.ChildNames("Microsoft.Storage/storageAccounts/blobServices/containers"));
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
