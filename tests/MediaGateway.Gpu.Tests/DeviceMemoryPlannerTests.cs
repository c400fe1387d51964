using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

public sealed class DeviceMemoryPlannerTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void A_catalog_that_fits_one_slice_is_one_slice()
    {
        var slices = DeviceMemoryPlanner.CatalogSlices(100 * GiB, 5_000_000, 384);
        Assert.Equal([(0, 5_000_000)], slices);
    }

    [Theory]
    [InlineData(10_000_000, 384, 4L << 30)]      // 7.7 GB of fp16: two 4 GiB slices
    [InlineData(700, 48, 256 * 48 * 2)]
    [InlineData(1_000_001, 384, 1L << 20)]
    public void Slices_cover_every_row_once_in_order_and_none_exceeds_the_slice_limit(int rows, int dim, long maxSliceBytes)
    {
        var slices = DeviceMemoryPlanner.CatalogSlices(100 * GiB, rows, dim, maxSliceBytes);
        var next = 0;
        foreach (var (first, count) in slices)
        {
            Assert.Equal(next, first);
            Assert.InRange((long)count * dim * 2, 1, maxSliceBytes);
            next += count;
        }
        Assert.Equal(rows, next);
    }

    [Fact]
    public void A_catalog_larger_than_the_budget_is_refused_before_anything_is_allocated_saying_how_much()
    {
        var error = Assert.Throws<InsufficientDeviceMemoryException>(() => DeviceMemoryPlanner.CatalogSlices(7 * GiB, 10_000_000, 384));
        Assert.Contains("7.2 GiB", error.Message);   // 10M × 384 × 2 bytes
        Assert.Contains("7.0 GiB is available", error.Message);
    }

    [Theory]
    [InlineData(100L << 30, 5_000_000, 384, DeviceMemoryPlanner.MaxUploadRows)]
    [InlineData(1L << 20, 5_000_000, 384, 341)]   // half of 1 MiB in 1,536-byte fp32 rows
    [InlineData(100L << 30, 1_000, 384, 1_000)]
    [InlineData(0, 1_000, 384, 1)]
    public void Upload_steps_take_at_most_half_of_what_the_catalog_left(long budgetAfterCatalog, int rows, int dim, int expected) =>
        Assert.Equal(expected, DeviceMemoryPlanner.UploadRows(budgetAfterCatalog, rows, dim));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(64, 100)]
    [InlineData(1024, 10)]
    [InlineData(1024, 1024)]
    public void With_room_a_batch_is_one_call(int queries, int k)
    {
        Assert.Equal(queries, DeviceMemoryPlanner.QueriesPerCall(10 * GiB, queries, 5_000_000, 5_000_000, 384, k, ScanDevice.Uniform(132), distinctFilters: queries));
    }

    [Fact]
    public void Without_room_the_calls_shrink_until_their_buffers_fit_the_budget()
    {
        // 1,024 filtered queries over 5M rows: each distinct filter's bitset is 625 KB, so 1,024 of them need ~800 MB.
        var budget = 256L << 20;
        var all = DeviceMemoryPlanner.SearchCallBytes(1024, 5_000_000, 5_000_000, 384, 100, ScanDevice.Uniform(132), 1024);
        Assert.True(all > budget);
        var perCall = DeviceMemoryPlanner.QueriesPerCall(budget, 1024, 5_000_000, 5_000_000, 384, 100, ScanDevice.Uniform(132), 1024);
        Assert.InRange(perCall, 1, 1023);
        Assert.True(DeviceMemoryPlanner.SearchCallBytes(perCall, 5_000_000, 5_000_000, 384, 100, ScanDevice.Uniform(132), 1024) <= budget);
        // ...and the plan is not needlessly small: twice as many would not have fitted.
        Assert.True(DeviceMemoryPlanner.SearchCallBytes(Math.Min(2 * perCall, 1024), 5_000_000, 5_000_000, 384, 100, ScanDevice.Uniform(132), 1024) > budget);
    }

    [Fact]
    public void Bytes_grow_with_queries_k_and_filters()
    {
        long Bytes(int queries, int k, int filters) => DeviceMemoryPlanner.SearchCallBytes(queries, 1_000_000, 1_000_000, 384, k, ScanDevice.Uniform(132), filters);
        Assert.True(Bytes(64, 10, 0) < Bytes(128, 10, 0));
        Assert.True(Bytes(64, 10, 0) < Bytes(64, 100, 0));
        Assert.True(Bytes(64, 10, 0) < Bytes(64, 10, 1));
        Assert.True(Bytes(64, 10, 1) < Bytes(64, 10, 64));
        // Filters are counted once per distinct filter, never more than one per query.
        Assert.Equal(Bytes(64, 10, 64), Bytes(64, 10, 1000));
    }

    [Fact]
    public void When_not_even_one_query_fits_the_plan_says_so()
    {
        var error = Assert.Throws<InsufficientDeviceMemoryException>(() => DeviceMemoryPlanner.QueriesPerCall(1_000, 8, 5_000_000, 5_000_000, 384, 10, ScanDevice.Uniform(132), 0));
        Assert.Contains("one query's search buffers need", error.Message);
    }

    [Theory]
    [InlineData(10_000, 1L << 30, 10_000)]
    [InlineData(10_000, 45 * 100, 100)]
    public void Rank_calls_take_what_fits(int candidates, long budget, int expected) =>
        Assert.Equal(expected, DeviceMemoryPlanner.CandidatesPerRankCall(budget, candidates, 32));

    [Fact]
    public void The_reserve_is_a_twentieth_of_the_device_and_at_most_one_GiB()
    {
        Assert.Equal(1L << 30, DeviceMemoryPlanner.Reserve(141L << 30));
        Assert.Equal(4_300, DeviceMemoryPlanner.Reserve(86_000));
    }
}
