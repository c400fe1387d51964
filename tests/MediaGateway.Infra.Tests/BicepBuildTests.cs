namespace MediaGateway.Infra.Tests;

/// <summary>The template compiles without a single diagnostic (the linter runs as part of bicep build).</summary>
[Collection(BicepCollection.Name)]
public sealed class BicepBuildTests(BicepTemplateFixture fixture)
{
    [Fact]
    public void Bicep_build_reports_no_warnings_or_linter_findings()
    {
        Assert.Equal("", fixture.BuildOutput);
    }

    [Fact]
    public void Registry_admin_user_is_disabled()
    {
        Assert.Equal(false, fixture.Deployment.Single("Microsoft.ContainerRegistry/registries").Get("properties.adminUserEnabled"));
    }
}
