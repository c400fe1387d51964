using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.GpuRunner;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Telemetry;

/// <summary>The trace context a queue message carries is untrusted: exact W3C form or nothing.</summary>
public sealed class TraceParentTests
{
    private const string Valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Theory]
    [InlineData(Valid, true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", true)]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", false)] // uppercase
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", false)] // zero trace id
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", false)] // zero span id
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", false)] // invalid version
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", false)] // a version we do not read
    [InlineData(Valid + "-extra", false)]
    [InlineData(Valid + "\n", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_exact_w3c_form_is_accepted(string? value, bool valid)
    {
        Assert.Equal(valid, TraceParent.IsValid(value));
        Assert.Equal(valid, TraceParent.Parse(value) is not null);
    }

    [Fact]
    public void A_parsed_parent_is_remote_and_names_the_trace()
    {
        var context = TraceParent.Parse(Valid)!.Value;
        Assert.True(context.IsRemote);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", context.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", context.SpanId.ToHexString());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(Valid, Valid)]
    [InlineData("00-zzz\u001b[31m-forged", null)]
    public void The_runner_keeps_a_valid_traceparent_and_drops_a_malformed_one_without_rejecting_the_job(string? sent, string? kept)
    {
        var message = Jobs.Message("star wars") with { TraceParent = sent };
        var body = JsonSerializer.Serialize(message, ContractJson.Options);

        Assert.True(JobProcessor.TryRead(body, out var read, out var problem), problem);
        Assert.Equal(kept, read!.TraceParent);
    }

    [Fact]
    public void A_message_without_the_field_is_read_as_before()
    {
        var body = JsonSerializer.Serialize(Jobs.Message("star wars"), ContractJson.Options);
        Assert.DoesNotContain("traceparent", body);
        Assert.True(JobProcessor.TryRead(body, out var read, out _));
        Assert.Null(read!.TraceParent);
    }

    [Theory]
    [InlineData("Authorization=AAD;ClientId=11111111-2222-3333-4444-555555555555", true)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Application_insights_sign_in_uses_a_managed_identity_only_when_the_authentication_string_says_aad(string? setting, bool managedIdentity)
    {
        Assert.Equal(managedIdentity, MediaGateway.Telemetry.TelemetryRegistration.CredentialFor(setting) is Azure.Identity.ManagedIdentityCredential);
    }
}
