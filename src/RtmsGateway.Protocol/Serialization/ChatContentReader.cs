using System.Globalization;
using System.Text.Json;

namespace RtmsGateway.Protocol.Serialization;

/// <summary>
/// Reads a chat message's <c>content.data</c> in each shape Zoom's sources show: an object, a JSON string holding an
/// object, or plain text. Every field of the object is optional and read generously; one of an unknown shape is skipped
/// and noted (<see cref="UnreadFields"/>) as <c>data.name</c>, never costing the message.
/// </summary>
internal static class ChatContentReader
{
    /// <summary>A string is a JSON string holding the object when it parses as a JSON object; anything else is text.</summary>
    public static ChatContent? TryParseJsonText(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            return FromElement(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ChatContent FromElement(JsonElement data)
    {
        var content = new ChatContent { RawJson = data.GetRawText() };
        foreach (var property in data.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "sender":
                    content.Sender = Participant(value, "sender");
                    break;
                case "receiver":
                    content.Receiver = Participant(value, "receiver");
                    break;
                case "chat_session":
                    content.ChatSession = Session(value);
                    break;
                case "operation_type":
                    content.OperationType = Int(value, "operation_type");
                    break;
                case "message_id":
                case "msg_id":
                    content.MessageId = Text(value, property.Name);
                    break;
                case "parent_message_id":
                case "parent_msg_id":
                    content.ParentMessageId = Text(value, property.Name);
                    break;
                case "text":
                case "content":
                case "message":
                case "msg":
                    content.Text ??= Text(value, property.Name);
                    break;
                case "files":
                case "file_list":
                    content.Files = Files(value, property.Name);
                    break;
                case "delete_file_id_list":
                case "deleted_file_ids":
                case "delete_file_ids":
                    content.DeletedFileIds = Strings(value, property.Name);
                    break;
            }
        }
        return content;
    }

    private static RtmsParticipant? Participant(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Unread<RtmsParticipant>(field, value);
        }
        var participant = new RtmsParticipant();
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "user_id":
                    participant.UserId = UserId(property.Value, $"{field}.user_id");
                    break;
                case "user_name":
                case "display_name":
                    participant.UserName ??= Text(property.Value, $"{field}.{property.Name}");
                    break;
            }
        }
        return participant;
    }

    private static ChatSessionRef? Session(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            return Unread<ChatSessionRef>("chat_session", value);
        }
        int? type = null;
        string? id = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                case "chat_session_type":
                    type = Int(property.Value, "chat_session.type");
                    break;
                case "id":
                case "chat_session_id":
                    id = Text(property.Value, "chat_session.id");
                    break;
            }
        }
        return new ChatSessionRef(type, id);
    }

    private static List<ChatFile> Files(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            if (value.ValueKind != JsonValueKind.Null)
            {
                Note(field, value);
            }
            return [];
        }
        var files = new List<ChatFile>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Note($"{field}[{index++}]", item);
                continue;
            }
            string? id = null, name = null;
            long? size = null;
            foreach (var property in item.EnumerateObject())
            {
                var at = $"{field}[{index}].{property.Name}";
                switch (property.Name)
                {
                    case "file_id":
                    case "id":
                        id ??= Text(property.Value, at);
                        break;
                    case "file_name":
                    case "name":
                        name ??= Text(property.Value, at);
                        break;
                    case "file_size":
                    case "size":
                        size ??= Long(property.Value, at);
                        break;
                }
            }
            files.Add(new ChatFile(id, name, size, item.GetRawText()));
            index++;
        }
        return files;
    }

    private static List<string> Strings(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            if (value.ValueKind != JsonValueKind.Null)
            {
                Note(field, value);
            }
            return [];
        }
        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (Text(item, $"{field}[{index++}]") is { } text)
            {
                list.Add(text);
            }
        }
        return list;
    }

    private static RtmsUserId UserId(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => RtmsUserId.FromNumber(n),
        JsonValueKind.Number => RtmsUserId.FromText(value.GetRawText()),
        JsonValueKind.String => RtmsUserId.FromText(value.GetString()!),
        JsonValueKind.Null => RtmsUserId.None,
        _ => Unread<RtmsUserId>(field, value),
    };

    private static string? Text(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null => null,
        _ => Unread<string>(field, value),
    };

    private static int? Int(JsonElement value, string field) => Long(value, field) is { } n and >= int.MinValue and <= int.MaxValue ? (int)n : null;

    private static long? Long(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) => s,
        JsonValueKind.Null => null,
        _ => Unread<long?>(field, value),
    };

    private static T? Unread<T>(string field, JsonElement value)
    {
        Note(field, value);
        return default;
    }

    private static void Note(string field, JsonElement value) => UnreadFields.Note($"data.{field}", value.ValueKind.ToString());
}
