namespace MediaGateway.Engine.Embedding;

/// <summary>
/// The k smallest and k largest values of a stream, in bounded memory: <see cref="Low"/> and <see cref="High"/>
/// are the k-th smallest and k-th largest (the quantiles <see cref="ActivationCalibration"/> calibrates to).
/// </summary>
internal sealed class Tails(int k)
{
    private readonly PriorityQueue<float, float> _largest = new(k + 1); // a min-heap of the k largest
    private readonly PriorityQueue<float, float> _smallest = new(k + 1, Comparer<float>.Create((a, b) => b.CompareTo(a))); // a max-heap of the k smallest

    public void Add(float value)
    {
        if (_largest.Count < k) _largest.Enqueue(value, value);
        else if (value > _largest.Peek()) _largest.EnqueueDequeue(value, value);
        if (_smallest.Count < k) _smallest.Enqueue(value, value);
        else if (value < _smallest.Peek()) _smallest.EnqueueDequeue(value, value);
    }

    public float High => _largest.Peek();

    public float Low => _smallest.Peek();
}
