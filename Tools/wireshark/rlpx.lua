-- SPDX-License-Identifier: Apache-2.0
-- Wireshark dissector for decrypted RLPx messages, as `rlpx-tool conformance --export-decrypted out.pcapng` writes
-- them (one message per packet, link type USER0; the record layout is documented in
-- Sources/RLPxCapture/DecryptedExport.swift). Names p2p, eth (68-72) and snap (1-2) messages and their request ids.
--   wireshark -X lua_script:Tools/wireshark/rlpx.lua out.pcapng
--   tshark -X lua_script:Tools/wireshark/rlpx.lua -r out.pcapng -Y 'rlpx.message == "GetBlockHeaders"'

local rlpx = Proto("rlpx", "RLPx (decrypted devp2p message)")

local fields = {
    connection = ProtoField.uint32("rlpx.connection", "Connection"),
    direction = ProtoField.string("rlpx.direction", "Direction"),
    protocol = ProtoField.string("rlpx.protocol", "Protocol"),
    version = ProtoField.uint8("rlpx.version", "Protocol version"),
    code = ProtoField.uint32("rlpx.code", "Code"),
    wire_code = ProtoField.uint32("rlpx.wire_code", "Wire code"),
    message = ProtoField.string("rlpx.message", "Message"),
    request_id = ProtoField.uint64("rlpx.request_id", "Request id"),
    initiator = ProtoField.string("rlpx.initiator", "Initiator"),
    recipient = ProtoField.string("rlpx.recipient", "Recipient"),
    payload = ProtoField.bytes("rlpx.payload", "Payload (RLP)"),
}
rlpx.fields = {
    fields.connection, fields.direction, fields.protocol, fields.version, fields.code, fields.wire_code,
    fields.message, fields.request_id, fields.initiator, fields.recipient, fields.payload,
}

local malformed = ProtoExpert.new("rlpx.malformed", "Malformed RLPx record", expert.group.MALFORMED, expert.severity.ERROR)
rlpx.experts = { malformed }

local p2p_names = { [0] = "Hello", [1] = "Disconnect", [2] = "Ping", [3] = "Pong" }
local eth_names = {
    [0] = "Status", [1] = "NewBlockHashes", [2] = "Transactions", [3] = "GetBlockHeaders", [4] = "BlockHeaders",
    [5] = "GetBlockBodies", [6] = "BlockBodies", [7] = "NewBlock", [8] = "NewPooledTransactionHashes",
    [9] = "GetPooledTransactions", [10] = "PooledTransactions", [15] = "GetReceipts", [16] = "Receipts",
    [17] = "BlockRangeUpdate", [18] = "GetBlockAccessLists", [19] = "BlockAccessLists", [20] = "GetCells", [21] = "Cells",
}
-- eth messages that carry a request id (EIP-2481): the requests and their responses.
local eth_requests = {
    [3] = true, [4] = true, [5] = true, [6] = true, [9] = true, [10] = true, [15] = true, [16] = true, [18] = true,
    [19] = true, [20] = true, [21] = true,
}
local snap_names = {
    [0] = "GetAccountRange", [1] = "AccountRange", [2] = "GetStorageRanges", [3] = "StorageRanges",
    [4] = "GetByteCodes", [5] = "ByteCodes", [6] = "GetTrieNodes", [7] = "TrieNodes", [8] = "GetBlockAccessLists",
    [9] = "BlockAccessLists",
}

-- The RLP item at `offset`: its payload's offset and length and whether it is a list; nil past the end.
local function rlp_item(tvb, offset, limit)
    if offset >= limit then return nil end
    local prefix = tvb(offset, 1):uint()
    if prefix < 0x80 then return offset, 1, false end
    if prefix <= 0xb7 then return offset + 1, prefix - 0x80, false end
    if prefix < 0xc0 then
        local size = prefix - 0xb7
        if offset + 1 + size > limit or size > 4 then return nil end
        return offset + 1 + size, tvb(offset + 1, size):uint(), false
    end
    if prefix <= 0xf7 then return offset + 1, prefix - 0xc0, true end
    local size = prefix - 0xf7
    if offset + 1 + size > limit or size > 4 then return nil end
    return offset + 1 + size, tvb(offset + 1, size):uint(), true
end

-- The request id: the first element of the payload list, an integer of at most 8 bytes.
local function request_id(tvb, offset, limit)
    local start, _, is_list = rlp_item(tvb, offset, limit)
    if not start or not is_list then return nil end
    local id_start, id_length, id_is_list = rlp_item(tvb, start, limit)
    if not id_start or id_is_list or id_length > 8 or id_start + id_length > limit then return nil end
    if id_length == 0 then return UInt64(0), id_start, 0 end
    return tvb(id_start, id_length):uint64(), id_start, id_length
end

function rlpx.dissector(tvb, pinfo, tree)
    local length = tvb:len()
    if length < 16 or tvb(0, 4):string() ~= "RLPX" then return 0 end
    pinfo.cols.protocol = "RLPx"
    local subtree = tree:add(rlpx, tvb(), "RLPx message")
    local side = tvb(5, 1):uint()
    subtree:add(fields.connection, tvb(6, 4))
    subtree:add(fields.direction, tvb(5, 1), side == 0 and "initiator→recipient" or "recipient→initiator")
    local offset = 10
    local name_length = tvb(offset, 1):uint()
    local protocol = tvb(offset + 1, name_length):string()
    subtree:add(fields.protocol, tvb(offset + 1, name_length))
    offset = offset + 1 + name_length
    local version = tvb(offset, 1):uint()
    subtree:add(fields.version, tvb(offset, 1))
    local code = tvb(offset + 1, 4):uint()
    subtree:add(fields.code, tvb(offset + 1, 4))
    subtree:add(fields.wire_code, tvb(offset + 5, 4))
    offset = offset + 9
    for _, field in ipairs({ fields.initiator, fields.recipient }) do
        local size = tvb(offset, 1):uint()
        subtree:add(field, tvb(offset + 1, size))
        offset = offset + 1 + size
    end
    local name
    local has_id = false
    if protocol == "p2p" then
        name = p2p_names[code]
    elseif protocol == "eth" then
        name = eth_names[code]
        has_id = eth_requests[code] == true and version >= 66
    elseif protocol == "snap" then
        name = snap_names[code]
        has_id = name ~= nil
    end
    name = name or ("code " .. code)
    subtree:add(fields.message, name)
    local info = (protocol == "p2p" and "p2p" or (protocol .. "/" .. version)) .. " " .. name
    if has_id then
        local id, id_start, id_length = request_id(tvb, offset, length)
        if id then
            if id_length > 0 then subtree:add(fields.request_id, tvb(id_start, id_length), id)
            else subtree:add(fields.request_id, id) end
            info = info .. " id=" .. tostring(id)
        else
            subtree:add_proto_expert_info(malformed, "no request id where the message needs one")
        end
    end
    if offset < length then subtree:add(fields.payload, tvb(offset)) end
    pinfo.cols.info = (side == 0 and "→ " or "← ") .. info
    return length
end

local encaps = wtap_encaps or wtap
DissectorTable.get("wtap_encap"):add(encaps and encaps.USER0 or 45, rlpx)
