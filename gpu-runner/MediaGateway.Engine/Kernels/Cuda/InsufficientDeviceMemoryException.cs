namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// The memory plan found that the work cannot fit on the device at all, before anything was allocated
/// (see <see cref="DeviceMemoryPlanner"/>). The message says what was needed and what was available.
/// </summary>
public sealed class InsufficientDeviceMemoryException(string message) : Exception($"Not enough GPU memory: {message}.");
