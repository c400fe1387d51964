using System.Numerics.Tensors;
using MediaGateway.Engine.Embedding;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace MediaGateway.Tests.Engine;

public sealed class OnnxAttentionFusionTests
{
    private static byte[] Quantized() =>
        OnnxInt8Quantizer.Quantize(MiniLmInt8Embedder.FloatModel(), ActivationCalibration.FromJson(MiniLmInt8Embedder.ActivationRangesJson()));

    private static SessionOptions Options => new() { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };

    [Fact]
    public void Every_attention_block_becomes_one_quantised_attention_and_the_vectors_stay_the_same()
    {
        var quantized = Quantized();
        var (fused, blocks) = OnnxAttentionFusion.Fuse(quantized);

        Assert.Equal(6, blocks);
        var graph = ModelProto.Parser.ParseFrom(fused).Graph;
        Assert.Equal(6, graph.Node.Count(n => n.OpType == "QAttention" && n.Domain == "com.microsoft"));
        Assert.DoesNotContain(graph.Node, n => n.OpType is "Softmax" or "Transpose");
        Assert.Equal(6 * 3, graph.Node.Count(n => n.OpType == "MatMulIntegerToFloat")); // attention output and feed-forward remain

        // Texts of different lengths in one run: the mask must hide the padding exactly as the unfused graph does.
        string[] texts = ["Alien", "a scary film from the 80s under two hours", "more like Alien, but for kids",
            string.Join(' ', Enumerable.Repeat("a long overview of a film with many words", 12))];
        using var before = new OnnxSentenceEncoder(quantized, Options, textsPerRun: texts.Length);
        using var after = new OnnxSentenceEncoder(fused, Options, textsPerRun: texts.Length);
        var expected = before.Encode(texts);
        var actual = after.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
            Assert.True(TensorPrimitives.Distance(expected[i], actual[i]) < 1e-4f, $"text {i}: distance {TensorPrimitives.Distance(expected[i], actual[i])}");
    }

    [Fact]
    public void A_graph_whose_attention_does_not_match_is_left_as_it_was()
    {
        var floatModel = MiniLmInt8Embedder.FloatModel(); // float GEMMs: nothing for QAttention to take

        var (model, blocks) = OnnxAttentionFusion.Fuse(floatModel);

        Assert.Equal(0, blocks);
        Assert.Same(floatModel, model);
    }
}
