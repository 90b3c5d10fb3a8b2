using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using VaeGpu.Runtime;
using VaeGpu.Host.Files;

namespace VaeGpu.Host.SafeTensors;

/// <summary>
/// Float32 tensors and string metadata in the safetensors format (github.com/huggingface/safetensors), which Python's
/// safetensors library and the tools built on it read: an 8-byte little-endian header size N, N bytes of UTF-8 JSON
/// giving each tensor's dtype, shape and byte range within the data section, then the data section, little-endian.
/// Reading validates as the reference implementation does, and refuses dtypes other than F32.
/// </summary>
/// <remarks>
/// Values are copied as their in-memory bytes: safetensors is little-endian, as is every processor .NET 10 supports.
/// </remarks>
public static class SafeTensorsFile
{
    const string MetadataKey = "__metadata__";
    const string F32 = "F32";
    const int SizeFieldBytes = sizeof(ulong);

    /// <summary>The reference implementation's limit: a larger header size means a corrupt file, not a big model.</summary>
    const ulong MaxHeaderBytes = 100_000_000;

    /// <summary>Values per stream call: keeps each span's byte length within int for arrays of any length.</summary>
    const int ChunkValues = 1 << 20;

    /// <summary>
    /// Writes the tensors packed in the order given, atomically (AtomicFile): an existing file at path is replaced
    /// only once the new one is complete on disk.
    /// </summary>
    public static void Write(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        byte[] header = Header(tensors, metadata);
        AtomicFile.Write(path, stream => Write(stream, header, tensors));
    }

    /// <summary>Writes the tensors packed in the order given to a stream, from its current position.</summary>
    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Write(stream, Header(tensors, metadata), tensors);
    }

    static void Write(Stream stream, byte[] header, IReadOnlyList<NamedTensor> tensors)
    {
        Span<byte> sizeField = stackalloc byte[SizeFieldBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(sizeField, (ulong)header.Length);
        stream.Write(sizeField);
        stream.Write(header);
        foreach (var tensor in tensors)
            for (int start = 0; start < tensor.Values.Length; start += ChunkValues)
                stream.Write(MemoryMarshal.AsBytes(tensor.Values.AsSpan(start, Math.Min(ChunkValues, tensor.Values.Length - start))));
    }

    /// <summary>
    /// Reads and validates safetensors content from a stream (from its start to its end; a stream without a length,
    /// such as a network stream, is read into memory first). <paramref name="name"/> names it in messages.
    /// </summary>
    public static SafeTensorsContent Read(Stream stream, string name = "the stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek) return Read(name, stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return Read(name, copy);
    }

    /// <summary>Reads and validates the file; every problem with it is a one-line UserErrorException naming it.</summary>
    public static SafeTensorsContent Read(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UserErrorException("an empty file path: give the path of a .safetensors file.");
        if (Directory.Exists(path)) throw new UserErrorException($"{path} is a folder: give the path of a .safetensors file in it (e.g. {Path.Combine(path, "model.safetensors")}).");
        InputFile.RequireRegular(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Read(path, stream);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserErrorException($"{path}: no such file; check the path.");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"{path}: cannot read it: {error.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>A tensor as the header describes it; offsets are relative to the start of the data section.</summary>
    readonly record struct TensorEntry(string Name, int[] Shape, long Begin, long End);

    /// <summary>
    /// The JSON header, padded with spaces to a multiple of 8 bytes as the reference writer does: after the 8-byte
    /// size field the data section then starts 8-byte aligned, so readers that map the file can use the floats in place.
    /// </summary>
    static byte[] Header(IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        // The relaxed encoder keeps quotes and non-ASCII text readable in the header; it is still valid JSON.
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata) writer.WriteString(key, value);
            writer.WriteEndObject();

            var names = new HashSet<string>();
            long offset = 0;
            foreach (var tensor in tensors)
            {
                CheckWritable(tensor, names);
                long end = offset + (long)tensor.Values.Length * sizeof(float);
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", F32);
                writer.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }
            writer.WriteEndObject();
        }

        var header = new byte[(json.WrittenCount + SizeFieldBytes - 1) / SizeFieldBytes * SizeFieldBytes];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>The program's own tensors: a bad one is a bug, hence ArgumentException.</summary>
    static void CheckWritable(NamedTensor tensor, HashSet<string> names)
    {
        if (tensor.Name == MetadataKey) throw new ArgumentException($"a tensor cannot be called {MetadataKey}: the header keeps the metadata under that name.");
        if (!names.Add(tensor.Name)) throw new ArgumentException($"two tensors are called '{tensor.Name}'.");
        if (tensor.Shape.Any(dimension => dimension < 0)) throw new ArgumentException($"tensor '{tensor.Name}' has a negative dimension: [{string.Join(", ", tensor.Shape)}].");
        if (ElementCount(tensor.Shape) != tensor.Values.Length)
            throw new ArgumentException($"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}] but {tensor.Values.Length} values.");
    }

    static SafeTensorsContent Read(string path, Stream stream)
    {
        // The format needs the file's length and offsets into it: a pipe or a terminal cannot give them.
        if (!stream.CanSeek) throw Invalid(path, "it is a pipe or another stream without a length; save it to a file first");
        long fileBytes = stream.Length - stream.Position;
        if (fileBytes < SizeFieldBytes) throw Invalid(path, $"it is {fileBytes} bytes long, too short for the 8-byte header size");
        Span<byte> sizeField = stackalloc byte[SizeFieldBytes];
        stream.ReadExactly(sizeField);
        ulong headerBytes = BinaryPrimitives.ReadUInt64LittleEndian(sizeField);
        if (headerBytes > MaxHeaderBytes) throw Invalid(path, $"its header size, {headerBytes} bytes, is over the 100 MB limit");
        long dataBytes = fileBytes - SizeFieldBytes - (long)headerBytes;
        if (dataBytes < 0) throw Invalid(path, $"its header size, {headerBytes} bytes, is more than the {fileBytes - SizeFieldBytes} bytes after the size field");

        var header = new byte[headerBytes];
        stream.ReadExactly(header);
        var (entries, metadata) = ParseHeader(path, header);
        var inDataOrder = CheckLayout(path, entries, dataBytes);

        // The layout check makes the tensors contiguous from the start of the data section, where the stream now is.
        var values = new float[entries.Count][];
        foreach (int index in inDataOrder)
        {
            values[index] = new float[(entries[index].End - entries[index].Begin) / sizeof(float)];
            for (int start = 0; start < values[index].Length; start += ChunkValues)
                stream.ReadExactly(MemoryMarshal.AsBytes(values[index].AsSpan(start, Math.Min(ChunkValues, values[index].Length - start))));
        }
        var tensors = entries.Select((entry, index) => new NamedTensor(entry.Name, entry.Shape, values[index])).ToArray();
        return new SafeTensorsContent(path, tensors, metadata);
    }

    static (List<TensorEntry> Entries, Dictionary<string, string> Metadata) ParseHeader(string path, byte[] header)
    {
        // JsonDocument checks UTF-8 only in the strings it is asked to decode; the reference reader checks it all.
        if (!Utf8.IsValid(header)) throw Invalid(path, "its header is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException error)
        {
            throw Invalid(path, $"its header is not valid JSON ({error.Message.ReplaceLineEndings(" ")})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid(path, $"its header is a JSON {Describe(root.ValueKind)}, not an object");

            var entries = new List<TensorEntry>();
            var metadata = new Dictionary<string, string>();
            var names = new HashSet<string>();
            foreach (var property in root.EnumerateObject())
            {
                // JSON allows repeated keys; the reference reader would silently keep one of them.
                if (!names.Add(property.Name)) throw Invalid(path, $"'{property.Name}' appears twice in its header");
                if (property.Name == MetadataKey) ParseMetadata(path, property.Value, metadata);
                else entries.Add(ParseEntry(path, property));
            }
            return (entries, metadata);
        }
    }

    static void ParseMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Invalid(path, $"its {MetadataKey} is a JSON {Describe(element.ValueKind)}, not an object of strings");
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"its {MetadataKey} entry '{property.Name}' is a JSON {Describe(property.Value.ValueKind)}, not a string");
            if (!metadata.TryAdd(property.Name, property.Value.GetString()!)) throw Invalid(path, $"its {MetadataKey} has '{property.Name}' twice");
        }
    }

    static TensorEntry ParseEntry(string path, JsonProperty property)
    {
        string name = property.Name;
        if (property.Value.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"tensor '{name}' is a JSON {Describe(property.Value.ValueKind)}, not an object with dtype, shape and data_offsets");
        JsonElement Field(string field) =>
            property.Value.TryGetProperty(field, out var value) ? value : throw Invalid(path, $"tensor '{name}' has no {field}");

        var dtype = Field("dtype");
        if (dtype.ValueKind != JsonValueKind.String) throw Invalid(path, $"tensor '{name}' has a dtype that is not a string");
        if (dtype.GetString() != F32) throw Invalid(path, $"tensor '{name}' has dtype {dtype.GetString()}; only F32 tensors can be read");

        long[]? shape = NonNegativeIntegers(Field("shape"));
        if (shape is null || shape.Any(dimension => dimension > int.MaxValue))
            throw Invalid(path, $"tensor '{name}' has a shape that is not a list of integers from 0 to {int.MaxValue}");

        long[]? offsets = NonNegativeIntegers(Field("data_offsets"));
        if (offsets is not [long begin, long end]) throw Invalid(path, $"tensor '{name}' has data_offsets that are not two non-negative integers");

        return new TensorEntry(name, shape.Select(dimension => (int)dimension).ToArray(), begin, end);
    }

    /// <summary>The array's elements, or null unless it is an array of integers from 0 to long.MaxValue.</summary>
    static long[]? NonNegativeIntegers(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array) return null;
        var integers = new List<long>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long integer) || integer < 0) return null;
            integers.Add(integer);
        }
        return integers.ToArray();
    }

    /// <summary>
    /// The reference reader's checks: in order of offset, the tensors start at 0, each begins where the one before
    /// ends, each holds exactly its shape's bytes, and together they cover the data section to its last byte.
    /// Returns the indices of the entries in that order.
    /// </summary>
    static int[] CheckLayout(string path, List<TensorEntry> entries, long dataBytes)
    {
        int[] inDataOrder = Enumerable.Range(0, entries.Count).OrderBy(index => entries[index].Begin).ThenBy(index => entries[index].End).ToArray();
        long expectedBegin = 0;
        foreach (int index in inDataOrder)
        {
            var (name, shape, begin, end) = entries[index];
            if (begin != expectedBegin || end < begin)
                throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}] where [{expectedBegin}, ...] comes next; tensors must be contiguous, without gaps or overlaps");
            long bytes = end - begin;
            long? count = ElementCount(shape);
            if (bytes % sizeof(float) != 0 || count != bytes / sizeof(float))
                throw Invalid(path, $"tensor '{name}' has shape [{string.Join(", ", shape)}] but data_offsets [{begin}, {end}] hold {bytes} bytes, not 4 per value");
            if (count > Array.MaxLength) throw Invalid(path, $"tensor '{name}' has {count} values, more than an array can hold");
            expectedBegin = end;
        }
        if (expectedBegin != dataBytes)
            throw Invalid(path, $"its tensors take {expectedBegin} bytes but {dataBytes} bytes follow the header ({(dataBytes < expectedBegin ? "truncated" : "trailing bytes")})");
        return inDataOrder;
    }

    /// <summary>The product of the dimensions (1 for a scalar), or null past long's range.</summary>
    static long? ElementCount(int[] shape)
    {
        long count = 1;
        try
        {
            foreach (int dimension in shape) count = checked(count * dimension);
        }
        catch (OverflowException)
        {
            return null;
        }
        return count;
    }

    static string Describe(JsonValueKind kind) => kind.ToString().ToLowerInvariant();

    static UserErrorException Invalid(string path, string problem) =>
        new($"{path}: not a valid safetensors file: {problem}.");
}
