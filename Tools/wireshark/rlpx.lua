-- SPDX-License-Identifier: Apache-2.0
-- Wireshark dissector for decrypted RLPx messages, as `rlpx-tool conformance --export-decrypted out.pcapng` writes
-- them (one message per packet, link type USER0; the record layout is documented in
-- Sources/RLPxCapture/DecryptedExport.swift; formats 1 and 2, the second with the transcript's summary). Fills
-- Source and Destination with the endpoints, names p2p, eth (68-72) and snap (1-2) messages and their request ids,
-- shows a Hello's and a Disconnect's fields and, for eth and snap, the fields the conformance transcript prints
-- (rlpx.field, one per key=value), and the payload as an RLP tree.
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
    summary = ProtoField.string("rlpx.summary", "Summary"),
    field = ProtoField.string("rlpx.field", "Field"),
    hello_version = ProtoField.uint64("rlpx.hello.version", "p2p version"),
    client_id = ProtoField.string("rlpx.hello.client_id", "Client id"),
    capabilities = ProtoField.string("rlpx.hello.capabilities", "Capabilities"),
    listen_port = ProtoField.uint64("rlpx.hello.listen_port", "Listen port"),
    node_id = ProtoField.bytes("rlpx.hello.node_id", "Node id"),
    reason = ProtoField.uint64("rlpx.disconnect.reason", "Disconnect reason"),
    item = ProtoField.bytes("rlpx.rlp.bytes", "Bytes"),
}
rlpx.fields = {
    fields.connection, fields.direction, fields.protocol, fields.version, fields.code, fields.wire_code,
    fields.message, fields.request_id, fields.initiator, fields.recipient, fields.payload, fields.summary, fields.field,
    fields.hello_version, fields.client_id, fields.capabilities, fields.listen_port, fields.node_id, fields.reason,
    fields.item,
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

-- An unsigned integer of at most 8 bytes at `start` (0 when empty).
local function uint(tvb, start, size)
    if size == 0 then return UInt64(0) end
    return tvb(start, size):uint64()
end

-- The elements of the list at `offset`: {start, length, is_list, item_start, item_end} each; nil if it is no list.
local function list_items(tvb, offset, limit)
    local start, size, is_list = rlp_item(tvb, offset, limit)
    if not start or not is_list or start + size > limit then return nil end
    local items, at, stop = {}, start, start + size
    while at < stop do
        local item_start, item_length, item_is_list = rlp_item(tvb, at, stop)
        if not item_start or item_start + item_length > stop then return nil end
        items[#items + 1] = { start = item_start, length = item_length, is_list = item_is_list, from = at, to = item_start + item_length }
        at = item_start + item_length
    end
    return items
end

-- The payload as an RLP tree: lists with their item counts, byte strings as bytes (at most 16 levels deep).
local function add_rlp(tvb, tree, offset, limit, depth)
    while offset < limit do
        local start, size, is_list = rlp_item(tvb, offset, limit)
        if not start or start + size > limit then
            tree:add_proto_expert_info(malformed, "RLP item runs past its end")
            return
        end
        if is_list then
            local sub = tree:add(tvb(offset, start + size - offset), "list, " .. size .. " bytes")
            if depth < 16 then add_rlp(tvb, sub, start, start + size, depth + 1) end
        elseif size == 0 then
            tree:add(tvb(offset, 1), "bytes, empty")
        else
            tree:add(fields.item, tvb(start, size))
        end
        offset = start + size
    end
end

-- A Hello's fields: [version, client id, [[name, version], ...], listen port, node id].
local function add_hello(tvb, tree, offset, limit)
    local items = list_items(tvb, offset, limit)
    if not items or #items < 5 or items[1].length > 8 or items[4].length > 8 then
        tree:add_proto_expert_info(malformed, "a Hello is [version, client id, capabilities, port, node id]")
        return nil
    end
    local version = uint(tvb, items[1].start, items[1].length)
    tree:add(fields.hello_version, tvb(items[1].from, items[1].to - items[1].from), version)
    local client = items[2].length > 0 and tvb(items[2].start, items[2].length):string() or ""
    tree:add(fields.client_id, tvb(items[2].from, items[2].to - items[2].from), client)
    local caps = {}
    for _, capability in ipairs(list_items(tvb, items[3].from, items[3].to) or {}) do
        local pair = list_items(tvb, capability.from, capability.to)
        if pair and #pair == 2 and pair[2].length <= 8 then
            caps[#caps + 1] = tvb(pair[1].start, pair[1].length):string() .. "/" .. tostring(uint(tvb, pair[2].start, pair[2].length))
        end
    end
    tree:add(fields.capabilities, tvb(items[3].from, items[3].to - items[3].from), table.concat(caps, ","))
    tree:add(fields.listen_port, tvb(items[4].from, items[4].to - items[4].from), uint(tvb, items[4].start, items[4].length))
    if items[5].length > 0 then tree:add(fields.node_id, tvb(items[5].start, items[5].length)) end
    return client .. " v" .. tostring(version) .. " caps " .. table.concat(caps, ",")
end

function rlpx.dissector(tvb, pinfo, tree)
    local length = tvb:len()
    if length < 16 or tvb(0, 4):string() ~= "RLPX" then return 0 end
    local format = tvb(4, 1):uint()
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
    -- p2p has no version of its own here (a Hello carries the p2p version it speaks).
    if protocol ~= "p2p" then subtree:add(fields.version, tvb(offset, 1)) end
    local code = tvb(offset + 1, 4):uint()
    subtree:add(fields.code, tvb(offset + 1, 4))
    subtree:add(fields.wire_code, tvb(offset + 5, 4))
    offset = offset + 9
    local ends = {}
    for index, field in ipairs({ fields.initiator, fields.recipient }) do
        local size = tvb(offset, 1):uint()
        subtree:add(field, tvb(offset + 1, size))
        ends[index] = size > 0 and tvb(offset + 1, size):string() or ""
        offset = offset + 1 + size
    end
    pinfo.cols.src = side == 0 and ends[1] or ends[2]
    pinfo.cols.dst = side == 0 and ends[2] or ends[1]
    local summary = ""
    if format >= 2 then
        local size = tvb(offset, 2):uint()
        if size > 0 then summary = tvb(offset + 2, size):string() end
        offset = offset + 2 + size
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
    if protocol == "p2p" and code == 0 then
        summary = add_hello(tvb, subtree, offset, length) or summary
    elseif protocol == "p2p" and code == 1 then
        local items = list_items(tvb, offset, length)
        local start, size = offset, length - offset
        if items and #items >= 1 then start, size = items[1].start, items[1].length end
        if size >= 1 and size <= 8 then subtree:add(fields.reason, tvb(start, size), uint(tvb, start, size)) end
    elseif summary ~= "" then
        subtree:add(fields.summary, summary)
        for word in summary:gmatch("%S+") do
            if word:find("=", 1, true) then subtree:add(fields.field, word) end
        end
    end
    if summary ~= "" and not (protocol ~= "p2p" and has_id and summary:find("^id=")) then info = info .. " " .. summary
    elseif summary ~= "" then info = info .. summary:gsub("^id=%S+", "") end
    if offset < length then
        local payload = subtree:add(fields.payload, tvb(offset))
        add_rlp(tvb, payload, offset, length, 0)
    end
    pinfo.cols.info = (side == 0 and "→ " or "← ") .. info
    return length
end

local encaps = wtap_encaps or wtap
DissectorTable.get("wtap_encap"):add(encaps and encaps.USER0 or 45, rlpx)
