using System.Collections;
using System.Reflection;
using RtmsGateway.Protocol;

namespace RtmsGateway.Fuzzing;

/// <summary>
/// Checks that a parsed value honours its nullable annotations: no null in a member, list element or dictionary value
/// declared non-nullable, walking every object of the protocol assembly it reaches.
/// </summary>
public static class NullabilityContract
{
    private static readonly Assembly ProtocolAssembly = typeof(RtmsMessageReader).Assembly;
    private static readonly NullabilityInfoContext Context = new();

    public static void Check(object value) => Visit(value, value.GetType().Name, depth: 0);

    private static void Visit(object value, string path, int depth)
    {
        var type = value.GetType();
        if (depth > 16 || type.Assembly != ProtocolAssembly || type.IsEnum)
        {
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.PropertyType.IsByRefLike || property.GetMethod is null)
            {
                continue;
            }
            var info = Context.Create(property);
            object? member;
            try
            {
                member = property.GetValue(value);
            }
            catch (TargetInvocationException ex)
            {
                throw new ContractViolationException(
                    $"Reading {path}.{property.Name} throws {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}", ex.InnerException);
            }
            CheckValue(member, info, $"{path}.{property.Name}", depth);
        }
    }

    private static void CheckValue(object? member, NullabilityInfo info, string path, int depth)
    {
        if (member is null)
        {
            if (info.ReadState == NullabilityState.NotNull)
            {
                throw new ContractViolationException($"{path} is null but declared non-nullable.");
            }
            return;
        }
        switch (member)
        {
            case string:
                return;
            case IDictionary dictionary when info.GenericTypeArguments.Length == 2:
                foreach (DictionaryEntry entry in dictionary)
                {
                    CheckValue(entry.Value, info.GenericTypeArguments[1], $"{path}[{entry.Key}]", depth + 1);
                }
                return;
            case IEnumerable sequence when info.GenericTypeArguments.Length == 1:
                var index = 0;
                foreach (var element in sequence)
                {
                    CheckValue(element, info.GenericTypeArguments[0], $"{path}[{index++}]", depth + 1);
                }
                return;
            default:
                Visit(member, path, depth + 1);
                return;
        }
    }
}
