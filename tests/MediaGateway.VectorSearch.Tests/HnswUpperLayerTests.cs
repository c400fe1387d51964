using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorSearch.Hnsw;

namespace MediaGateway.VectorSearch.Tests;

/// <summary>
/// The beam on the upper layers (<see cref="HnswOptions.UpperLayerEf"/>). Data with many clusters that are all
/// about equally far apart (random centres in a high dimension) gives a greedy descent nothing to follow between
/// clusters: it stops in a wrong one, and a node inserted from there is linked away from its own cluster.
/// </summary>
public class HnswUpperLayerTests
{
    private const int Rows = 12_000, Dims = 256, Centres = 600, Queries = 300, K = 10;

    [Fact]
    public void A_beam_on_the_upper_layers_finds_the_right_cluster_where_the_greedy_descent_does_not()
    {
        var matrix = TestVectors.Clustered(Rows, Dims, Centres, noise: 0.75f, seed: 5);
        var queries = TestVectors.Clustered(Queries, Dims, Centres, noise: 0.75f, seed: 5 + 1000);
        var truth = new ExactVectorIndex(new Engine.Kernels.CpuKernelBackend(), matrix, Rows, Dims).Search(queries, Queries, K);
        double Recall(int upperLayerEf)
        {
            // A narrow graph and beam (M 6, efSearch 10) so that where the descent lands decides the answer.
            var options = new HnswOptions { M = 6, EfConstruction = 40, EfSearch = 10, UpperLayerEf = upperLayerEf, UpperLayerEfSearch = upperLayerEf, MaxThreads = 1 };
            using var index = HnswIndex.Build(matrix, Rows, Dims, options);
            return TestVectors.Recall(index.Search(queries, Queries, K), truth, K);
        }
        var greedy = Recall(1);
        var beam = Recall(new HnswOptions().UpperLayerEf);
        Console.WriteLine($"recall@10 greedy {greedy:F4}, beam {beam:F4}");
        Assert.True(beam >= greedy + 0.05, $"recall@10 with the upper-layer beam {beam:F4}, greedy {greedy:F4}");
    }

    [Fact]
    public void An_upper_layer_beam_below_one_is_refused()
    {
        Assert.Equal("UpperLayerEf", Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { UpperLayerEf = 0 }.Validate()).ParamName);
        Assert.Equal("UpperLayerEfSearch", Assert.Throws<ArgumentOutOfRangeException>(() => new HnswOptions { UpperLayerEfSearch = 0 }.Validate()).ParamName);
    }
}
