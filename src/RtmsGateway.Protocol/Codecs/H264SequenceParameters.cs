namespace RtmsGateway.Protocol.Codecs;

/// <summary>
/// What an H.264 sequence parameter set (NAL type 7, H.264 §7.3.2.1.1) says about the pictures that follow: the
/// displayed size (coded macroblocks minus the cropping window), the profile and the level.
/// </summary>
public readonly record struct H264SequenceParameters(int Width, int Height, int ProfileIdc, int LevelIdc)
{
    /// <summary>Parses an SPS unit (header byte included); false when it is truncated or not an SPS.</summary>
    public static bool TryParse(ReadOnlySpan<byte> unit, out H264SequenceParameters sps)
    {
        sps = default;
        if (unit.Length < 4 || (unit[0] & 0x1F) != 7)
        {
            return false;
        }
        try
        {
            sps = Parse(unit[1..]);
            return sps.Width > 0 && sps.Height > 0;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static H264SequenceParameters Parse(ReadOnlySpan<byte> rbsp)
    {
        var r = new RbspBitReader(rbsp);
        var profile = (int)r.ReadBits(8);
        r.ReadBits(8); // constraint_set flags + reserved
        var level = (int)r.ReadBits(8);
        r.ReadUnsignedExpGolomb(); // seq_parameter_set_id
        var chromaFormat = 1u;
        var separateColourPlanes = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            chromaFormat = r.ReadUnsignedExpGolomb();
            if (chromaFormat == 3)
            {
                separateColourPlanes = r.ReadBit();
            }
            r.ReadUnsignedExpGolomb(); // bit_depth_luma_minus8
            r.ReadUnsignedExpGolomb(); // bit_depth_chroma_minus8
            r.ReadBit(); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadBit()) // seq_scaling_matrix_present_flag
            {
                var lists = chromaFormat != 3 ? 8 : 12;
                for (var i = 0; i < lists; i++)
                {
                    if (r.ReadBit())
                    {
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ReadUnsignedExpGolomb(); // log2_max_frame_num_minus4
        var pocType = r.ReadUnsignedExpGolomb();
        if (pocType == 0)
        {
            r.ReadUnsignedExpGolomb(); // log2_max_pic_order_cnt_lsb_minus4
        }
        else if (pocType == 1)
        {
            r.ReadBit(); // delta_pic_order_always_zero_flag
            r.ReadSignedExpGolomb(); // offset_for_non_ref_pic
            r.ReadSignedExpGolomb(); // offset_for_top_to_bottom_field
            var cycle = r.ReadUnsignedExpGolomb();
            if (cycle > 255)
            {
                throw new InvalidDataException("num_ref_frames_in_pic_order_cnt_cycle out of range.");
            }
            for (var i = 0; i < cycle; i++)
            {
                r.ReadSignedExpGolomb();
            }
        }
        r.ReadUnsignedExpGolomb(); // max_num_ref_frames
        r.ReadBit(); // gaps_in_frame_num_value_allowed_flag
        var widthInMbs = r.ReadUnsignedExpGolomb() + 1;
        var heightInMapUnits = r.ReadUnsignedExpGolomb() + 1;
        var frameMbsOnly = r.ReadBit();
        if (!frameMbsOnly)
        {
            r.ReadBit(); // mb_adaptive_frame_field_flag
        }
        r.ReadBit(); // direct_8x8_inference_flag
        long width = widthInMbs * 16;
        long height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
        if (r.ReadBit()) // frame_cropping_flag
        {
            var (left, right, top, bottom) = (r.ReadUnsignedExpGolomb(), r.ReadUnsignedExpGolomb(), r.ReadUnsignedExpGolomb(), r.ReadUnsignedExpGolomb());
            var chroma = separateColourPlanes ? 0u : chromaFormat;
            var cropX = chroma is 1 or 2 ? 2 : 1;
            var cropY = (chroma == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            width -= cropX * (long)(left + right);
            height -= cropY * (long)(top + bottom);
        }
        if (width is <= 0 or > VideoPicture.MaxDimension || height is <= 0 or > VideoPicture.MaxDimension)
        {
            throw new InvalidDataException("SPS picture size out of range.");
        }
        return new H264SequenceParameters((int)width, (int)height, profile, level);
    }

    private static void SkipScalingList(ref RbspBitReader r, int size)
    {
        int last = 8, next = 8;
        for (var j = 0; j < size; j++)
        {
            if (next != 0)
            {
                next = (last + r.ReadSignedExpGolomb() + 256) % 256;
            }
            last = next == 0 ? last : next;
        }
    }
}
