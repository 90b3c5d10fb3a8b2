using VaeGpu.Kernels;

namespace VaeGpu.Runtime.HostPath;

/// <summary>A CPU tensor's managed elements as IFloatStorage, for the families' shared bodies on the host backend.</summary>
readonly struct ArrayStorage(float[] array, int offset) : IFloatStorage
{
    public float this[int index]
    {
        get => array[offset + index];
        set => array[offset + index] = value;
    }
}
